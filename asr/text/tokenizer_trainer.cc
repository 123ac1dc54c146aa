// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/tokenizer_trainer.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "asr/text/sentencepiece_backend.h"
#include "asr/text/sentencepiece_model_paths.h"
#include "asr/text/tokenizer_metadata.h"
#include "asr/util/utf8.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/random.h"

namespace verbatim {
namespace {

// A fresh private folder under $TMPDIR, removed with its content on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "verbatim-tokenizer-XXXXXX");
    Check(mkdtemp(&pattern[0]) != nullptr, pattern + ": cannot create a temporary folder");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Points file descriptor 2 at `path` while alive. SentencePiece logs its
// whole command line before it reads --minloglevel, and the backend has no
// other way to quiet it.
class StderrToFile {
 public:
  explicit StderrToFile(const std::string& path) {
    std::cerr.flush();
    std::fflush(stderr);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    saved_ = fd >= 0 ? ::dup(2) : -1;
    if (saved_ >= 0) ::dup2(fd, 2);
    if (fd >= 0) ::close(fd);
  }
  ~StderrToFile() {
    if (saved_ < 0) return;
    std::cerr.flush();
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
  }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

 private:
  int saved_ = -1;
};

// SentencePiece's flags: the fixed ids of tokenizer.h, <sos/eos> as a control
// symbol (so that text containing "<sos/eos>" is never encoded as id 2), and
// no normalization of its own (TextNormalizer did the job). Its sentence
// sampling is off: it cannot be seeded through this interface, so
// SampleSentences does it.
std::string TrainerFlags(const TokenizerTrainOptions& opts, const std::string& input,
                         const std::string& prefix) {
  std::ostringstream f;
  f << "--input=" << input << " --model_prefix=" << prefix
    << " --model_type=" << TokenizerModelTypeName(opts.model_type)
    << " --vocab_size=" << opts.vocab_size << " --character_coverage=" << std::setprecision(10)
    << opts.character_coverage
    << " --input_sentence_size=0 --max_sentence_length=" << opts.max_sentence_bytes
    << " --num_threads=" << opts.num_threads << " --pad_id=" << kBlankId
    << " --pad_piece=" << kBlankPiece << " --unk_id=" << kUnkId << " --unk_piece=" << kUnkPiece
    << " --unk_surface=" << kUnkPiece << " --bos_id=-1 --eos_id=-1"
    << " --control_symbols=" << kSosEosPiece << " --normalization_rule_name=identity"
    << " --minloglevel=" << (opts.verbose ? 0 : 1);  // 1: warnings and errors only
  if (opts.model_type == TokenizerModelType::kChar) f << " --use_all_vocab=true";
  return f.str();
}

void CheckOptions(const TokenizerTrainOptions& opts) {
  Check(opts.model_type == TokenizerModelType::kChar || opts.vocab_size > kNumSpecialTokens,
        "tokenizer vocab_size must be larger than " + std::to_string(kNumSpecialTokens) +
            " (the special tokens), got " + std::to_string(opts.vocab_size));
  Check(opts.character_coverage > 0.0 && opts.character_coverage <= 1.0,
        "tokenizer character_coverage must be in (0, 1], got " +
            std::to_string(opts.character_coverage));
  Check(opts.max_sentences >= 0, "tokenizer max_sentences must be >= 0");
  Check(opts.max_sentence_bytes > 0, "tokenizer max_sentence_bytes must be > 0");
  Check(opts.num_threads >= 1 && opts.num_threads <= 128,
        "tokenizer num_threads must be in [1, 128]");
}

// Keeps `max_sentences` of them (0: all), drawn with `seed`, in their original order.
void SampleSentences(int64_t max_sentences, uint32_t seed, std::vector<std::string>* sentences) {
  const size_t n = sentences->size();
  if (max_sentences <= 0 || static_cast<size_t>(max_sentences) >= n) return;
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  Random random(seed);
  for (size_t i = 0; i < static_cast<size_t>(max_sentences); ++i)
    std::swap(order[i], order[random.UniformInt(i, n - 1)]);
  order.resize(max_sentences);
  std::sort(order.begin(), order.end());
  std::vector<std::string> kept;
  kept.reserve(order.size());
  for (size_t i : order) kept.push_back(std::move((*sentences)[i]));
  sentences->swap(kept);
}

// Trains in a scratch folder; returns the bytes of the model.
std::string RunSentencePiece(const std::vector<std::string>& sentences,
                             const TokenizerTrainOptions& opts, const std::string& where) {
  ScratchDir scratch;
  const std::string input = scratch.path() + "/sentences.txt";
  Check(input.find_first_of(" \t") == std::string::npos,
        scratch.path() + ": SentencePiece cannot take a path with spaces (set TMPDIR)");
  {
    std::ofstream out(input, std::ios::binary);
    for (const std::string& s : sentences) out << s << '\n';
    out.flush();
    Check(static_cast<bool>(out), input + ": write failed (disk full?)");
  }
  const std::string prefix = scratch.path() + "/model";
  auto backend = MakeSentencePieceBackend();
  std::string error;
  if (opts.verbose) {
    error = backend->Train(TrainerFlags(opts, input, prefix));
  } else {
    StderrToFile quiet(scratch.path() + "/sentencepiece.log");
    error = backend->Train(TrainerFlags(opts, input, prefix));
  }
  // "Internal: ./src/trainer_interface.cc(660) [check] Vocabulary size too high": the
  // sentence after the source location and the failed check is the message.
  const size_t check_end = error.find("] ");
  Check(error.empty(), where + ": SentencePiece training failed: " +
                           (check_end == std::string::npos ? error : error.substr(check_end + 2)));
  std::ifstream model_file(prefix + ".model", std::ios::binary);
  Check(static_cast<bool>(model_file), where + ": SentencePiece wrote no model");
  std::ostringstream bytes;
  bytes << model_file.rdbuf();
  // The temporary paths would make every model different.
  return ReplaceTrainingPaths(bytes.str(), "sentences.txt", "tokenizer");
}

}  // namespace

TokenizerMetadata TrainTokenizer(const std::vector<std::string>& texts,
                                 const TokenizerTrainOptions& opts, const std::string& out_dir) {
  CheckOptions(opts);
  const std::string model_path = out_dir + "/" + kTokenizerModelFile;
  const TextNormalizer normalizer(opts.normalizer);
  std::vector<std::string> sentences;
  sentences.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    try {
      std::string normalized = normalizer.Normalize(texts[i]);
      // One text, one line of SentencePiece's input.
      std::replace(normalized.begin(), normalized.end(), '\n', ' ');
      std::replace(normalized.begin(), normalized.end(), '\r', ' ');
      if (!normalized.empty()) sentences.push_back(std::move(normalized));
    } catch (const Error& e) {
      throw Error("training text " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  Check(!sentences.empty(), model_path + ": no training text (after normalization)");

  SampleSentences(opts.max_sentences, opts.seed, &sentences);
  const std::string model = RunSentencePiece(sentences, opts, model_path);
  TokenizerMetadata metadata;
  metadata.model_type = opts.model_type;
  metadata.normalizer = opts.normalizer;
  metadata.model_checksum = ModelChecksum(model);
  auto processor = MakeSentencePieceBackend();
  const std::string error = processor->LoadFromBytes(model);
  Check(error.empty(), model_path + ": SentencePiece made an unreadable model: " + error);
  metadata.vocab_size = processor->PieceSize();
  // Checks the special ids before anything is written.
  Tokenizer::FromModelBytes(model, metadata, model_path);
  Check(metadata.vocab_size > kNumSpecialTokens, model_path + ": SentencePiece made no pieces");

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  Check(!ec, out_dir + ": cannot create the directory: " + ec.message());
  AtomicOutputFile model_file(model_path);
  model_file.stream().write(model.data(), static_cast<std::streamsize>(model.size()));
  model_file.Commit();
  WriteTokenizerMetadata(out_dir + "/" + kTokenizerYamlFile, metadata);
  return metadata;
}

std::vector<std::string> ReadKaldiTranscripts(const std::string& path) {
  std::ifstream in(path);
  Check(static_cast<bool>(in), path + ": cannot open");
  std::vector<std::string> texts;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    try {
      DecodeUtf8(line);  // so that a bad byte is reported with its line
    } catch (const Error& e) {
      throw Error(path + ": line " + std::to_string(number) + ": " + e.what());
    }
    const size_t key_begin = line.find_first_not_of(" \t\r");
    if (key_begin == std::string::npos) continue;
    const size_t key_end = line.find_first_of(" \t", key_begin);
    if (key_end == std::string::npos) continue;  // an utterance without words
    const size_t words = line.find_first_not_of(" \t\r", key_end);
    if (words != std::string::npos) texts.push_back(line.substr(words));
  }
  Check(!in.bad(), path + ": read error");
  return texts;
}

TokenizerMetadata TrainTokenizerFromKaldiText(const std::vector<std::string>& text_paths,
                                              const TokenizerTrainOptions& opts,
                                              const std::string& out_dir) {
  std::vector<std::string> texts;
  for (const std::string& path : text_paths) {
    std::vector<std::string> more = ReadKaldiTranscripts(path);
    texts.insert(texts.end(), std::make_move_iterator(more.begin()),
                 std::make_move_iterator(more.end()));
  }
  return TrainTokenizer(texts, opts, out_dir);
}

}  // namespace verbatim
