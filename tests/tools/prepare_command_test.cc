// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim prepare librispeech` end to end: the shared LibriSpeech sample,
// orphans reported, clear errors and nothing written on failure.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = VERBATIM_BINARY;

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("verbatim prepare librispeech on the shared sample", "[tools][data]") {
  if (test::SkipWithoutShared()) return;
  const std::string root = fs::canonical(test::SharedDir() + "/speech/librispeech_sample");
  test::TempDir tmp;
  std::string log;
  REQUIRE(test::RunCommand(kVerbatim + " prepare librispeech --root " + root +
                               " --subsets test-clean,dev-clean --out " + tmp.File("data"),
                           &log) == 0);
  INFO(log);
  CHECK_THAT(log, Catch::Contains("test-clean: 6 utterances, 4 speakers") &&
                      Catch::Contains("-> " + tmp.File("data") + "/test_clean") &&
                      Catch::Contains("dev-clean: 2 utterances, 2 speakers") &&
                      Catch::Contains("dev-clean: 0 audio files without transcript") &&
                      Catch::Contains("dev-clean: 0 transcripts without audio"));
  for (const std::string subset : {"test-clean", "dev-clean"}) {
    const std::string dir =
        tmp.File("data/" + std::string(subset == "test-clean" ? "test_clean" : "dev_clean"));
    INFO(dir);
    // Every trans.txt line of the subset, in C order, is the text file.
    std::vector<std::string> expected_text;
    for (const auto& e : fs::recursive_directory_iterator(root + "/" + subset))
      if (e.path().string().find(".trans.txt") != std::string::npos)
        for (const std::string& line : Lines(e.path())) expected_text.push_back(line);
    std::sort(expected_text.begin(), expected_text.end());
    CHECK(Lines(dir + "/text") == expected_text);
    // wav.scp: absolute paths of files that exist, named after the ids.
    const std::vector<std::string> wav = Lines(dir + "/wav.scp");
    REQUIRE(wav.size() == expected_text.size());
    for (size_t i = 0; i < wav.size(); ++i) {
      const std::string id = wav[i].substr(0, wav[i].find(' '));
      const std::string path = wav[i].substr(wav[i].find(' ') + 1);
      CHECK(id == expected_text[i].substr(0, expected_text[i].find(' ')));
      CHECK(path.front() == '/');
      CHECK(fs::path(path).filename() == id + ".flac");
      CHECK(fs::equivalent(path, root + "/" + subset + "/" + id.substr(0, id.find('-')) + "/" +
                                     id.substr(id.find('-') + 1, id.rfind('-') - id.find('-') - 1) +
                                     "/" + id + ".flac"));
    }
    CHECK(Lines(dir + "/utt2spk").size() == wav.size());
    CHECK(Lines(dir + "/utt2dur").size() == wav.size());
    CHECK(fs::exists(dir + "/spk2utt"));
    // The result passes the validator.
    std::string validation;
    CHECK(test::RunCommand(kVerbatim + " validate-data " + dir, &validation) == 0);
    CHECK_THAT(validation, Catch::Contains("usable (0 errors, 0 warnings)"));
  }
  CHECK_THAT(test::ReadFile(tmp.File("data/test_clean/utt2spk")),
             Catch::Contains("1221-135766-0002 1221-135766\n"));
}

// <root>/train-x/100/200 with an orphan FLAC (0002) and an orphan line (0003).
void MakeSyntheticCorpus(const std::string& root) {
  const std::string chapter = root + "/train-x/100/200";
  fs::create_directories(chapter);
  test::WriteAudio(chapter + "/100-200-0001.flac", test::Sine(200, 16000, 16000), 16000, 1, "flac");
  test::WriteAudio(chapter + "/100-200-0002.flac", test::Sine(200, 16000, 8000), 16000, 1, "flac");
  std::ofstream(chapter + "/100-200.trans.txt") << "100-200-0001 HELLO\n100-200-0003 GONE\n";
}

TEST_CASE("verbatim prepare librispeech reports orphans", "[tools][data]") {
  test::TempDir tmp;
  MakeSyntheticCorpus(tmp.File("LS"));
  std::string log;
  REQUIRE(test::RunCommand(kVerbatim + " prepare librispeech --root " + tmp.File("LS") +
                               " --subsets train-x --out " + tmp.File("data"),
                           &log) == 0);
  INFO(log);
  CHECK_THAT(log, Catch::Contains("train-x: 1 utterances, 1 speakers") &&
                      Catch::Contains("train-x: 1 audio files without transcript (left out)\n  " +
                                      tmp.File("LS") + "/train-x/100/200/100-200-0002.flac") &&
                      Catch::Contains("train-x: 1 transcripts without audio (left out)\n  " +
                                      tmp.File("LS") +
                                      "/train-x/100/200/100-200.trans.txt: line 2: 100-200-0003"));
  CHECK(test::ReadFile(tmp.File("data/train_x/text")) == "100-200-0001 HELLO\n");
  CHECK(test::ReadFile(tmp.File("data/train_x/utt2dur")) == "100-200-0001 1\n");
}

TEST_CASE("verbatim prepare librispeech fails clearly and writes nothing", "[tools][data]") {
  test::TempDir tmp;
  MakeSyntheticCorpus(tmp.File("LS"));
  fs::create_directories(tmp.File("LS/dev-bad/1/2"));
  std::ofstream(tmp.File("LS/dev-bad/1/2/1-2-0001.flac")) << "not a flac";
  std::ofstream(tmp.File("LS/dev-bad/1/2/1-2.trans.txt")) << "1-2-0001 HI\n";
  struct Case {
    std::string subsets, expect;
  } cases[] = {
      {"train-x,train-clean-100",
       "no LibriSpeech subset 'train-clean-100' here (found: dev-bad, train-x)"},
      {"dev-bad", "1-2-0001.flac"},
  };
  for (const Case& c : cases) {
    INFO(c.subsets);
    std::string err;
    const int status = test::RunCommand(kVerbatim + " prepare librispeech --root " +
                                            tmp.File("LS") + " --subsets " + c.subsets + " --out " +
                                            tmp.File("data") + " 2>&1 >/dev/null",
                                        &err);
    CHECK(status == 1);
    CHECK_THAT(err, Catch::StartsWith("verbatim prepare: error: ") && Catch::Contains(c.expect));
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(tmp.File("data")));  // not even the subsets that exist
  }
  std::string err;
  CHECK(test::RunCommand(kVerbatim + " prepare librispeech --root " + tmp.File("nope") +
                             " --subsets a --out " + tmp.File("data"),
                         &err) == 1);
  CHECK_THAT(err, Catch::Contains("nope: no such directory"));
  std::string help;
  CHECK(test::RunCommand(kVerbatim + " prepare librispeech --help", &help) == 0);
  CHECK_THAT(help, Catch::Contains("openslr.org/12") && Catch::Contains("--subsets"));
}

}  // namespace
}  // namespace verbatim
