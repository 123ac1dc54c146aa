// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Tokenizer training and use: fixed special ids, encode/decode round trips
// for unigram, bpe and char models, unknown characters, determinism, and
// clear errors for broken tokenizer directories. The corpus is generated
// here; its words avoid the letters Q, X and Z so that they are unknown.
#include "asr/text/tokenizer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "asr/text/sentencepiece_backend.h"
#include "asr/text/tokenizer_metadata.h"
#include "asr/text/tokenizer_trainer.h"
#include "asr/util/utf8.h"
#include "base/error.h"
#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

// Sentences in raw form: capitalized, with commas and final punctuation.
std::vector<std::string> Corpus(int count, uint64_t seed = 1) {
  static const char* kWords[] = {
      "the",    "cat",    "sat",   "on",      "mat",     "dog",    "ran",    "fast",
      "house",  "garden", "don't", "isn't",   "blue",    "green",  "red",    "slowly",
      "jumped", "over",   "lady",  "morning", "evening", "river",  "bright", "little",
      "people", "water",  "light", "world",   "child",   "friend", "happy",  "stone"};
  Random random(seed);
  std::vector<std::string> sentences;
  for (int s = 0; s < count; ++s) {
    std::string text;
    const int n = static_cast<int>(random.UniformInt(3, 12));
    for (int w = 0; w < n; ++w) {
      std::string word = kWords[random.UniformInt(0, std::size(kWords) - 1)];
      if (w == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      text += (w ? (random.Uniform() < 0.1 ? ", " : " ") : "") + word;
    }
    sentences.push_back(text + (s % 3 == 0 ? "." : s % 3 == 1 ? "!" : "?"));
  }
  return sentences;
}

TokenizerTrainOptions Options(TokenizerModelType type, int vocab_size,
                              const std::string& normalizer = "librispeech") {
  TokenizerTrainOptions opts;
  opts.model_type = type;
  opts.vocab_size = vocab_size;
  opts.normalizer = NormalizerPreset(normalizer);
  return opts;
}

// SentencePiece's spelling of a normalized text: every word starts with "▁".
std::string WithWordMarks(const std::string& text) {
  std::string out = "\u2581";
  for (char c : text) out += c == ' ' ? std::string("\u2581") : std::string(1, c);
  return out;
}

void CheckRoundTrip(const Tokenizer& tokenizer, const std::vector<std::string>& texts) {
  for (const std::string& text : texts) {
    INFO(text);
    const std::string normalized = tokenizer.normalizer().Normalize(text);
    const std::vector<int> ids = tokenizer.Encode(text);
    REQUIRE(!ids.empty());
    for (int id : ids) {
      CHECK(id >= kNumSpecialTokens);  // never blank, <unk> or <sos/eos> on training text
      CHECK(id < tokenizer.vocab_size());
    }
    CHECK(tokenizer.Decode(ids) == normalized);
    std::string spelled;
    for (const std::string& piece : tokenizer.EncodeAsPieces(text)) spelled += piece;
    CHECK(spelled == WithWordMarks(normalized));
  }
}

void CheckFixedIds(const Tokenizer& tokenizer) {
  CHECK(tokenizer.IdToPiece(kBlankId) == "<blank>");
  CHECK(tokenizer.IdToPiece(kUnkId) == "<unk>");
  CHECK(tokenizer.IdToPiece(kSosEosId) == "<sos/eos>");
  CHECK(kBlankId == 0);
  CHECK(kUnkId == 1);
  CHECK(kSosEosId == 2);
}

TEST_CASE("a unigram tokenizer has the fixed ids and round-trips normalized text", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(400);
  const TokenizerTrainOptions opts = Options(TokenizerModelType::kUnigram, 48);
  const std::string dir = tmp.File("tok");  // created by training
  const TokenizerMetadata trained = TrainTokenizer(corpus, opts, dir);
  CHECK(trained.vocab_size == 48);

  // Exactly the two files, nothing temporary left behind.
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files.insert(entry.path().filename().string());
  CHECK(files == std::set<std::string>{"tokenizer.model", "tokenizer.yaml"});

  const Tokenizer tokenizer = Tokenizer::Load(dir);
  CHECK(tokenizer.vocab_size() == 48);
  CHECK(tokenizer.metadata().model_type == TokenizerModelType::kUnigram);
  CHECK(tokenizer.metadata().normalizer == NormalizerPreset("librispeech"));
  CHECK(ReadTokenizerMetadata(dir + "/tokenizer.yaml").model_checksum ==
        ModelChecksum(test::ReadFile(dir + "/tokenizer.model")));
  CheckFixedIds(tokenizer);
  CheckRoundTrip(tokenizer, corpus);
  // Unseen sentences made of known words round-trip as well.
  CheckRoundTrip(tokenizer, Corpus(50, /*seed=*/99));
  // Encoding normalizes first: raw and normalized forms give the same ids.
  CHECK(tokenizer.Encode("The dog, ran!") == tokenizer.Encode("THE DOG RAN"));
  CHECK(tokenizer.Encode("").empty());
  CHECK(tokenizer.Decode({}).empty());
  // Blanks and <sos/eos> decode to nothing.
  std::vector<int> ids = tokenizer.Encode("the dog");
  ids.insert(ids.begin(), kSosEosId);
  ids.insert(ids.begin() + 2, kBlankId);
  ids.push_back(kSosEosId);
  CHECK(tokenizer.Decode(ids) == "THE DOG");
  CHECK_THROWS_WITH(tokenizer.Decode({5, 48}), Catch::Contains("token id 48 out of range"));
  CHECK_THROWS_WITH(tokenizer.IdToPiece(-1), Catch::Contains("token id -1 out of range"));
}

TEST_CASE("a bpe tokenizer round-trips", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(300, 5);
  TrainTokenizer(corpus, Options(TokenizerModelType::kBpe, 70), tmp.path());
  const Tokenizer tokenizer = Tokenizer::Load(tmp.path());
  CHECK(tokenizer.vocab_size() == 70);
  CHECK(tokenizer.metadata().model_type == TokenizerModelType::kBpe);
  CheckFixedIds(tokenizer);
  CheckRoundTrip(tokenizer, corpus);
}

TEST_CASE("a char tokenizer has one piece per character", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(300, 6);
  // The vocabulary size is ignored for char models: every character gets a piece.
  TrainTokenizer(corpus, Options(TokenizerModelType::kChar, 5000), tmp.path());
  const Tokenizer tokenizer = Tokenizer::Load(tmp.path());
  std::set<std::string> characters;
  const TextNormalizer normalizer(NormalizerPreset("librispeech"));
  for (const std::string& text : corpus)
    for (const std::string& c : SplitUtf8Characters(normalizer.Normalize(text)))
      characters.insert(c == " " ? "\u2581" : c);
  CHECK(tokenizer.vocab_size() == kNumSpecialTokens + static_cast<int>(characters.size()));
  for (int id = kNumSpecialTokens; id < tokenizer.vocab_size(); ++id)
    CHECK(characters.count(tokenizer.IdToPiece(id)) == 1);
  CheckFixedIds(tokenizer);
  CheckRoundTrip(tokenizer, corpus);
  CHECK(tokenizer.Encode("the dog").size() == 8);  // ▁ T H E ▁ D O G
}

// The characters of normalize(query) that normalize(corpus) never has, in order.
std::vector<std::string> UnseenCharacters(const std::vector<std::string>& corpus,
                                          const TextNormalizer& normalizer,
                                          const std::string& query) {
  std::set<std::string> seen = {" "};
  for (const std::string& text : corpus)
    for (const std::string& c : SplitUtf8Characters(normalizer.Normalize(text))) seen.insert(c);
  std::vector<std::string> unseen;
  for (const std::string& c : SplitUtf8Characters(normalizer.Normalize(query)))
    if (seen.insert(c).second) unseen.push_back(c);
  return unseen;
}

TEST_CASE("characters the model cannot map are reported", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(300, 7);
  TrainTokenizer(corpus, Options(TokenizerModelType::kUnigram, 50), tmp.File("libri"));
  const Tokenizer libri = Tokenizer::Load(tmp.File("libri"));
  // After LibriSpeech normalization "quiz, x!" is "QUIZ X": Q, Z and X were never seen.
  const std::string query = "quiz, x! \u0416 cafe";
  CHECK(UnseenCharacters(corpus, libri.normalizer(), query) ==
        std::vector<std::string>{"Q", "Z", "X"});
  CHECK(libri.UnknownCharacters(query) == UnseenCharacters(corpus, libri.normalizer(), query));
  CHECK(libri.UnknownCharacters("the garden").empty());
  const std::vector<int> ids = libri.Encode("quiz");
  CHECK(std::count(ids.begin(), ids.end(), kUnkId) == 2);
  CHECK(libri.Decode(ids) == "<unk>UI<unk>");

  // Without normalization, case and non-ASCII letters matter.
  TrainTokenizer(corpus, Options(TokenizerModelType::kUnigram, 50, "none"), tmp.File("raw"));
  const Tokenizer raw = Tokenizer::Load(tmp.File("raw"));
  const std::string raw_query = "Quiz \u0416\u0416 d\u00E9j\u00E0 vu, THE END; x";
  const std::vector<std::string> unseen = UnseenCharacters(corpus, raw.normalizer(), raw_query);
  CHECK(unseen.size() >= 6);  // Q z Ж é à ; x at least
  CHECK(raw.UnknownCharacters(raw_query) == unseen);
  // "<sos/eos>" in a text is never the <sos/eos> token.
  for (int id : raw.Encode("<sos/eos>")) CHECK(id != kSosEosId);
}

TEST_CASE("tokenizer training is deterministic", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(400, 8);
  TokenizerTrainOptions opts = Options(TokenizerModelType::kUnigram, 48);
  TrainTokenizer(corpus, opts, tmp.File("a"));
  TrainTokenizer(corpus, opts, tmp.File("b"));
  CHECK(test::ReadFile(tmp.File("a/tokenizer.model")) ==
        test::ReadFile(tmp.File("b/tokenizer.model")));
  CHECK(test::ReadFile(tmp.File("a/tokenizer.yaml")) ==
        test::ReadFile(tmp.File("b/tokenizer.yaml")));
  // The temporary training folder is not recorded in the model.
  CHECK(test::ReadFile(tmp.File("a/tokenizer.model")).find("verbatim-tokenizer-") ==
        std::string::npos);
  CHECK(test::ReadFile(tmp.File("a/tokenizer.model")).find("sentences.txt") != std::string::npos);

  // Sampled sentences: the same seed gives the same model; the sample is a real subset.
  opts.max_sentences = 40;
  opts.seed = 3;
  TrainTokenizer(corpus, opts, tmp.File("c"));
  TrainTokenizer(corpus, opts, tmp.File("d"));
  CHECK(test::ReadFile(tmp.File("c/tokenizer.model")) ==
        test::ReadFile(tmp.File("d/tokenizer.model")));
  CHECK(test::ReadFile(tmp.File("c/tokenizer.model")) !=
        test::ReadFile(tmp.File("a/tokenizer.model")));
}

TEST_CASE("Kaldi text files: utterance ids are stripped", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(300, 9);
  {
    std::ofstream text(tmp.File("text"));
    for (size_t i = 0; i < corpus.size(); ++i)
      text << "spk" << i % 7 << "-utt" << i << (i % 2 ? "\t" : " ") << corpus[i] << "\n";
    text << "empty-utterance\n\n";
  }
  const std::vector<std::string> read = ReadKaldiTranscripts(tmp.File("text"));
  CHECK(read == corpus);
  const TokenizerTrainOptions opts = Options(TokenizerModelType::kUnigram, 50);
  TrainTokenizerFromKaldiText({tmp.File("text")}, opts, tmp.File("from_text"));
  TrainTokenizer(corpus, opts, tmp.File("from_vector"));
  CHECK(test::ReadFile(tmp.File("from_text/tokenizer.model")) ==
        test::ReadFile(tmp.File("from_vector/tokenizer.model")));

  std::ofstream(tmp.File("bad_text")) << "u1 fine\nu2 caf\xC3\n";
  CHECK_THROWS_WITH(ReadKaldiTranscripts(tmp.File("bad_text")),
                    Catch::Contains("bad_text: line 2: invalid UTF-8 at byte 6"));
  CHECK_THROWS_WITH(ReadKaldiTranscripts(tmp.File("missing")),
                    Catch::Contains("missing: cannot open"));
}

TEST_CASE("tokenizer training errors are clear", "[tokenizer]") {
  test::TempDir tmp;
  const std::vector<std::string> corpus = Corpus(100, 10);
  CHECK_THROWS_WITH(TrainTokenizer(corpus, Options(TokenizerModelType::kUnigram, 5000), tmp.path()),
                    Catch::Contains("tokenizer.model: SentencePiece training failed") &&
                        Catch::Contains("Vocabulary size too high (5000)"));
  CHECK_THROWS_WITH(TrainTokenizer(corpus, Options(TokenizerModelType::kBpe, 3), tmp.path()),
                    Catch::Contains("larger than 3"));
  CHECK_THROWS_WITH(
      TrainTokenizer({"...", "[noise]"}, Options(TokenizerModelType::kBpe, 30), tmp.path()),
      Catch::Contains("no training text"));
  CHECK_THROWS_WITH(
      TrainTokenizer({"ok", "bad \xFF"}, Options(TokenizerModelType::kBpe, 30), tmp.path()),
      Catch::Contains("training text 2: invalid UTF-8 at byte 4"));
  // Nothing was written by the failed trainings.
  CHECK(std::filesystem::is_empty(tmp.path()));
}

TEST_CASE("broken tokenizer directories are clear errors", "[tokenizer]") {
  test::TempDir tmp;
  const std::string dir = tmp.File("tok");
  TrainTokenizer(Corpus(200, 11), Options(TokenizerModelType::kUnigram, 40), dir);
  const std::string model_path = dir + "/tokenizer.model";
  const std::string yaml_path = dir + "/tokenizer.yaml";
  const std::string good_model = test::ReadFile(model_path);
  const TokenizerMetadata good = ReadTokenizerMetadata(yaml_path);

  CHECK_THROWS_WITH(Tokenizer::Load(tmp.File("none")),
                    Catch::Contains("none: not a tokenizer directory"));

  // A model that is not the one tokenizer.yaml describes.
  std::ofstream(model_path, std::ios::binary) << good_model << "x";
  CHECK_THROWS_WITH(Tokenizer::Load(dir),
                    Catch::Contains(model_path) && Catch::Contains("does not belong to"));
  // Garbage with a matching checksum.
  const std::string garbage = "this is not a protobuf \x01\x02";
  std::ofstream(model_path, std::ios::binary) << garbage;
  TokenizerMetadata metadata = good;
  metadata.model_checksum = ModelChecksum(garbage);
  WriteTokenizerMetadata(yaml_path, metadata);
  CHECK_THROWS_WITH(Tokenizer::Load(dir),
                    Catch::Contains(model_path) && Catch::Contains("not a SentencePiece model"));
  // The right model with a wrong vocabulary size in the YAML.
  std::ofstream(model_path, std::ios::binary) << good_model;
  metadata = good;
  metadata.vocab_size = 41;
  WriteTokenizerMetadata(yaml_path, metadata);
  CHECK_THROWS_WITH(Tokenizer::Load(dir),
                    Catch::Contains("40 pieces") && Catch::Contains("vocab_size 41"));
  // Broken YAML: the file and the key are named.
  std::ofstream(yaml_path) << "format_version: 1\nmodel_type: wordpiece\n";
  CHECK_THROWS_WITH(Tokenizer::Load(dir),
                    Catch::Contains(yaml_path + ": model_type: ") && Catch::Contains("wordpiece"));
  std::ofstream(yaml_path) << "format_version: 2\n";
  CHECK_THROWS_WITH(Tokenizer::Load(dir), Catch::Contains("format_version 2"));
  WriteTokenizerMetadata(yaml_path, good);
  std::ofstream(yaml_path, std::ios::app) << "extra: 1\n";
  CHECK_THROWS_WITH(Tokenizer::Load(dir), Catch::Contains(yaml_path + ": extra: unknown key"));
  WriteTokenizerMetadata(yaml_path, good);
  CHECK_NOTHROW(Tokenizer::Load(dir));
}

TEST_CASE("a SentencePiece model with other special ids is refused", "[tokenizer]") {
  test::TempDir tmp;
  {
    std::ofstream text(tmp.File("corpus.txt"));
    for (const std::string& s : Corpus(200, 12)) text << s << "\n";
  }
  // SentencePiece's defaults: 0 <unk>, 1 <s>, 2 </s>.
  const std::string error = MakeSentencePieceBackend()->Train(
      "--input=" + tmp.File("corpus.txt") + " --model_prefix=" + tmp.File("spm") +
      " --model_type=bpe --vocab_size=80 --minloglevel=2");
  INFO(error);
  REQUIRE(error.empty());
  const std::string bytes = test::ReadFile(tmp.File("spm.model"));
  TokenizerMetadata metadata;
  metadata.vocab_size = 80;
  metadata.model_checksum = ModelChecksum(bytes);
  const std::string dir = tmp.File("tok");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/tokenizer.model", std::ios::binary) << bytes;
  WriteTokenizerMetadata(dir + "/tokenizer.yaml", metadata);
  CHECK_THROWS_WITH(Tokenizer::Load(dir),
                    Catch::Contains(dir + "/tokenizer.model: id 0 is '<unk>', expected '<blank>'"));
}

}  // namespace
}  // namespace verbatim
