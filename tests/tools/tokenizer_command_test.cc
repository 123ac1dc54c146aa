// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim tokenizer train|encode|decode` end to end: a Kaldi text file in,
// ids out and back to the normalized text, quiet training, help, and errors.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// A Kaldi text file of lower-case sentences with punctuation; `expected`
// receives "utt-id NORMALIZED TEXT" lines (LibriSpeech style, by construction).
void WriteCorpus(const std::string& path, int count, std::vector<std::string>* expected) {
  static const char* kWords[] = {"the",   "cat",    "sat",   "on",     "mat",   "dog",
                                 "ran",   "fast",   "house", "garden", "don't", "blue",
                                 "green", "little", "river", "people", "water", "light"};
  Random random(4);
  std::ofstream out(path);
  for (int s = 0; s < count; ++s) {
    std::string raw, normalized;
    const int n = static_cast<int>(random.UniformInt(2, 10));
    for (int w = 0; w < n; ++w) {
      const std::string word = kWords[random.UniformInt(0, std::size(kWords) - 1)];
      raw += (w ? (w % 4 == 0 ? ", " : " ") : "") + word;
      std::string upper = word;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      normalized += (w ? " " : "") + upper;
    }
    const std::string id = "utt" + std::to_string(1000 + s);
    out << id << " " << raw << (s % 2 ? "." : "!") << "\n";
    expected->push_back(id + " " + normalized);
  }
}

TEST_CASE("verbatim tokenizer trains, encodes and decodes a Kaldi text", "[tools][tokenizer]") {
  test::TempDir tmp;
  std::vector<std::string> expected;
  WriteCorpus(tmp.File("text"), 300, &expected);
  const std::string model = tmp.File("tok");
  for (const std::string type : {"unigram", "bpe", "char"}) {
    INFO(type);
    std::string log;
    REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --text " + tmp.File("text") +
                                 " --vocab 40 --type " + type + " --normalize librispeech --out " +
                                 model,
                             &log) == 0);
    // SentencePiece stays quiet: one summary line.
    CHECK(Lines(log).size() == 1);
    CHECK(log.find("verbatim tokenizer: " + std::string(type)) == 0);
    CHECK(log.find("LOG(INFO)") == std::string::npos);

    REQUIRE(test::RunCommand(kVerbatim + " tokenizer encode --utt-ids --model " + model + " < " +
                             tmp.File("text") + " > " + tmp.File("ids")) == 0);
    const std::vector<std::string> id_lines = Lines(test::ReadFile(tmp.File("ids")));
    REQUIRE(id_lines.size() == expected.size());
    for (const std::string& line : id_lines) {
      std::istringstream words(line);
      std::string key;
      words >> key;
      int id;
      while (words >> id) {
        CHECK(id >= 3);  // no <blank>, <unk> or <sos/eos> on training text
        if (std::string(type) != "char") CHECK(id < 40);
      }
    }
    REQUIRE(test::RunCommand(kVerbatim + " tokenizer decode --utt-ids --model " + model + " < " +
                             tmp.File("ids") + " > " + tmp.File("decoded")) == 0);
    CHECK(Lines(test::ReadFile(tmp.File("decoded"))) == expected);
  }
}

TEST_CASE("verbatim tokenizer encode --pieces spells the normalized text", "[tools][tokenizer]") {
  test::TempDir tmp;
  std::vector<std::string> expected;
  WriteCorpus(tmp.File("text"), 200, &expected);
  const std::string model = tmp.File("tok");
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --text " + tmp.File("text") +
                           " --vocab 30 --type bpe --normalize librispeech --out " + model) == 0);
  std::ofstream(tmp.File("plain")) << "The dog, ran!\n\nLittle  people.\n";
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer encode --pieces --model " + model + " < " +
                           tmp.File("plain") + " > " + tmp.File("pieces")) == 0);
  const std::vector<std::string> lines = Lines(test::ReadFile(tmp.File("pieces")));
  REQUIRE(lines.size() == 3);
  const std::string mark = "\u2581";
  const std::string normalized[] = {"THE DOG RAN", "", "LITTLE PEOPLE"};
  for (int i = 0; i < 3; ++i) {
    std::string spelled;
    std::istringstream pieces(lines[i]);
    std::string piece;
    while (pieces >> piece) spelled += piece;
    std::string want = normalized[i].empty() ? "" : mark;
    for (char c : normalized[i]) want += c == ' ' ? mark : std::string(1, c);
    CHECK(spelled == want);
  }
}

TEST_CASE("verbatim tokenizer --help documents the subcommands", "[tools][tokenizer]") {
  std::string help;
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer --help", &help) == 0);
  for (const char* word : {"train", "encode", "decode", "<blank>", "<sos/eos>"})
    CHECK(help.find(word) != std::string::npos);
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --help", &help) == 0);
  for (const char* word : {"--text", "--vocab", "--type", "--out", "--normalize", "librispeech"})
    CHECK(help.find(word) != std::string::npos);
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer encode --help", &help) == 0);
  CHECK(help.find("--pieces") != std::string::npos);
  // A subcommand is required.
  CHECK(test::RunCommand(kVerbatim + " tokenizer", &help) != 0);
}

TEST_CASE("verbatim tokenizer fails with one clear line", "[tools][tokenizer]") {
  test::TempDir tmp;
  std::vector<std::string> expected;
  WriteCorpus(tmp.File("text"), 100, &expected);
  const std::string model = tmp.File("tok");
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --text " + tmp.File("text") +
                           " --vocab 30 --type bpe --out " + model) == 0);
  std::ofstream(tmp.File("bad_ids")) << "4 5\n7 x 9\n";
  std::ofstream(tmp.File("big_ids")) << "4 99999\n";
  struct Case {
    std::string args, expect;
  } cases[] = {
      {"encode --model " + tmp.File("missing") + " < /dev/null",
       "verbatim tokenizer: error: " + tmp.File("missing") + ": not a tokenizer directory"},
      {"decode --model " + model + " < " + tmp.File("bad_ids"),
       "standard input: line 2: 'x' is not a token id"},
      {"decode --model " + model + " < " + tmp.File("big_ids"),
       "standard input: line 1: " + model + "/tokenizer.model: token id 99999 out of range"},
      {"train --text " + tmp.File("text") + " --vocab 5000 --out " + tmp.File("t2"),
       "Vocabulary size too high (5000)"},
      {"train --text " + tmp.File("nope") + " --out " + tmp.File("t3"),
       tmp.File("nope") + ": cannot open"},
      {"train --text " + tmp.File("text") + " --normalize libri --out " + tmp.File("t4"),
       "unknown text normalization 'libri'"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    std::string log;
    // Standard output (the lines done before the failure) is not part of the message.
    CHECK(test::RunCommand(kVerbatim + " tokenizer " + c.args + " > /dev/null", &log) == 1);
    CHECK(log.find(c.expect) != std::string::npos);
    CHECK(Lines(log).size() == 1);
  }
}

}  // namespace
}  // namespace verbatim
