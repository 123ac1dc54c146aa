// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim tokenizer train|encode|decode`: SentencePiece tokenizers with
// Verbatim's fixed special ids and the text normalization saved beside them.
#include <iostream>
#include <sstream>

#include "asr/text/tokenizer.h"
#include "asr/text/tokenizer_trainer.h"
#include "base/error.h"
#include "tools/command.h"

namespace verbatim {
namespace {

// A preset name, or a YAML file with a "normalizer:" map.
TextNormalizerOptions NormalizerFromFlag(const std::string& value) {
  const bool is_file = value.size() > 5 && (value.rfind(".yaml") == value.size() - 5 ||
                                            value.rfind(".yml") == value.size() - 4);
  return is_file ? ReadTextNormalizerOptions(value) : NormalizerPreset(value);
}

// Splits "utt-id rest" when `with_ids`; otherwise the key is empty.
void SplitKey(const std::string& line, bool with_ids, std::string* key, std::string* rest) {
  key->clear();
  *rest = line;
  if (!with_ids) return;
  const size_t begin = line.find_first_not_of(" \t");
  if (begin == std::string::npos) return;
  const size_t end = line.find_first_of(" \t", begin);
  *key = line.substr(begin, end - begin);
  *rest = end == std::string::npos ? "" : line.substr(end + 1);
}

class TokenizerCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "tokenizer",
        "Train a SentencePiece tokenizer, or encode/decode text with one.\n"
        "Token ids 0, 1, 2 are always <blank> (CTC blank, padding), <unk> and <sos/eos>.");
    sub->require_subcommand(1);
    SetupTrain(sub);
    SetupEncode(sub);
    SetupDecode(sub);
    return sub;
  }

  int Run() override {
    if (train_->parsed()) return Train();
    const Tokenizer tokenizer = Tokenizer::Load(model_dir_);
    std::string line, key, rest;
    int number = 0;
    while (std::getline(std::cin, line)) {
      ++number;
      SplitKey(line, utt_ids_, &key, &rest);
      if (!key.empty()) std::cout << key << (rest.empty() ? "" : " ");
      try {
        if (encode_->parsed()) {
          Encode(tokenizer, rest);
        } else {
          std::cout << tokenizer.Decode(ParseIds(rest));
        }
      } catch (const Error& e) {
        throw Error("standard input: line " + std::to_string(number) + ": " + e.what());
      }
      std::cout << '\n';
    }
    std::cout.flush();
    Check(static_cast<bool>(std::cout), "standard output: write failed");
    return 0;
  }

 private:
  void SetupTrain(CLI::App* sub) {
    train_ = sub->add_subcommand(
        "train",
        "Train a tokenizer on Kaldi 'text' files (utterance id, then the words) and write\n"
        "OUT/tokenizer.model and OUT/tokenizer.yaml.\n"
        "Example: verbatim tokenizer train --text data/train/text --vocab 5000 --type unigram \\\n"
        "           --normalize librispeech --out exp/tokenizer");
    train_->add_option("--text", text_paths_, "Kaldi text file(s)")->required();
    train_->add_option("--out", out_dir_, "Output directory (created if needed)")->required();
    train_
        ->add_option("--vocab", opts_.vocab_size,
                     "Vocabulary size, special tokens included (char: ignored)")
        ->capture_default_str();
    train_->add_option("--type", type_, "Model type (char: one token per character)")
        ->check(CLI::IsMember({"unigram", "bpe", "char"}))
        ->capture_default_str();
    train_
        ->add_option("--normalize", normalize_,
                     "Text normalization: none, librispeech, lowercase, or a YAML file\n"
                     "with a 'normalizer:' map; saved in tokenizer.yaml")
        ->capture_default_str();
    train_
        ->add_option("--coverage", opts_.character_coverage,
                     "Fraction of characters that get a piece (rarer ones: <unk>)")
        ->capture_default_str();
    train_
        ->add_option("--max-sentences", opts_.max_sentences,
                     "Sentences sampled for training (0: all)")
        ->capture_default_str();
    train_
        ->add_option("--max-sentence-bytes", opts_.max_sentence_bytes,
                     "Longer sentences are left out")
        ->capture_default_str();
    train_->add_option("--seed", opts_.seed, "Seed of the sentence sampling")
        ->capture_default_str();
    train_
        ->add_option("--threads", opts_.num_threads,
                     "Training threads (the model may depend on it)")
        ->capture_default_str();
    train_->add_flag("--verbose", opts_.verbose, "Show SentencePiece's training log");
  }

  void SetupEncode(CLI::App* sub) {
    encode_ = sub->add_subcommand(
        "encode",
        "Normalize and encode standard input, one line each: token ids (or pieces with\n"
        "--pieces) separated by spaces.\n"
        "Example: verbatim tokenizer encode --model exp/tokenizer --utt-ids < data/train/text");
    encode_->add_option("--model", model_dir_, "Tokenizer directory")->required();
    encode_->add_flag("--pieces", pieces_, "Print pieces instead of ids");
    encode_->add_flag("--utt-ids", utt_ids_, "Lines start with an utterance id (kept as is)");
  }

  void SetupDecode(CLI::App* sub) {
    decode_ = sub->add_subcommand(
        "decode",
        "Decode lines of token ids (separated by spaces) from standard input into text.\n"
        "Example: echo '45 7 912' | verbatim tokenizer decode --model exp/tokenizer");
    decode_->add_option("--model", model_dir_, "Tokenizer directory")->required();
    decode_->add_flag("--utt-ids", utt_ids_, "Lines start with an utterance id (kept as is)");
  }

  int Train() {
    opts_.model_type = ParseTokenizerModelType(type_);
    opts_.normalizer = NormalizerFromFlag(normalize_);
    const TokenizerMetadata metadata = TrainTokenizerFromKaldiText(text_paths_, opts_, out_dir_);
    std::cerr << "verbatim tokenizer: " << TokenizerModelTypeName(metadata.model_type) << ", "
              << metadata.vocab_size << " tokens -> " << out_dir_ << "/" << kTokenizerModelFile
              << "\n";
    return 0;
  }

  void Encode(const Tokenizer& tokenizer, const std::string& text) const {
    if (pieces_) {
      const std::vector<std::string> pieces = tokenizer.EncodeAsPieces(text);
      for (size_t i = 0; i < pieces.size(); ++i) std::cout << (i ? " " : "") << pieces[i];
    } else {
      const std::vector<int> ids = tokenizer.Encode(text);
      for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? " " : "") << ids[i];
    }
  }

  static std::vector<int> ParseIds(const std::string& text) {
    std::vector<int> ids;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
      size_t used = 0;
      int id = -1;
      try {
        id = std::stoi(word, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      Check(used == word.size() && used > 0, "'" + word + "' is not a token id");
      ids.push_back(id);
    }
    return ids;
  }

  CLI::App* train_ = nullptr;
  CLI::App* encode_ = nullptr;
  CLI::App* decode_ = nullptr;
  TokenizerTrainOptions opts_;
  std::vector<std::string> text_paths_;
  std::string out_dir_;
  std::string type_ = "unigram";
  std::string normalize_ = "none";
  std::string model_dir_;
  bool pieces_ = false;
  bool utt_ids_ = false;
};

VERBATIM_REGISTER_COMMAND(TokenizerCommand);

}  // namespace

}  // namespace verbatim
