// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// LibriSpeech import: the real layout in ../shared (ids, texts and paths
// compared with the trans.txt files and the files on disk, durations with
// soxi), and a synthetic layout with orphans and broken inputs.
#include "asr/data/librispeech.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::string text, path, speaker;
};

// What the subset holds, read independently of the importer: every
// *.trans.txt line, and every .flac found by a recursive walk.
std::map<std::string, Expected> ScanSubset(const fs::path& subset_dir) {
  std::map<std::string, Expected> expected;
  for (const auto& e : fs::recursive_directory_iterator(subset_dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".trans.txt") {
      std::ifstream in(e.path());
      std::string id, text;
      while (in >> id && std::getline(in >> std::ws, text)) expected[id].text = text;
    } else if (e.path().extension() == ".flac") {
      Expected& x = expected[e.path().stem().string()];
      x.path = fs::canonical(e.path()).string();
      x.speaker = e.path().parent_path().parent_path().filename().string() + "-" +
                  e.path().parent_path().filename().string();
    }
  }
  return expected;
}

TEST_CASE("LibriSpeech import of the real layout", "[data]") {
  if (test::SkipWithoutShared()) return;
  const std::string root = test::SharedDir() + "/speech/librispeech_sample";
  LibriSpeech corpus(root + "/");
  // Absolute, and the same folder (the shared folder may be reached through a symlink).
  CHECK(fs::path(corpus.root()).is_absolute());
  CHECK(fs::canonical(corpus.root()) == fs::canonical(root));
  CHECK(corpus.AvailableSubsets() == std::vector<std::string>{"dev-clean", "test-clean"});
  size_t total = 0;
  for (const std::string subset : {"dev-clean", "test-clean"}) {
    INFO(subset);
    const auto expected = ScanSubset(fs::path(root) / subset);
    const LibriSpeechSubset set = corpus.ReadSubset(subset);
    CHECK(set.name == subset);
    CHECK(set.audio_without_text.empty());
    CHECK(set.text_without_audio.empty());
    REQUIRE(set.data.size() == expected.size());
    std::string previous;
    for (const Utterance& u : set.data.utterances()) {
      INFO(u.id);
      REQUIRE(expected.count(u.id) == 1);
      const Expected& x = expected.at(u.id);
      CHECK(u.id > previous);  // sorted
      previous = u.id;
      CHECK(u.text == x.text);
      CHECK(fs::path(u.audio).is_absolute());
      CHECK(fs::canonical(u.audio).string() == x.path);  // exactly the file on disk
      CHECK(u.recording == u.id);
      CHECK(u.speaker == x.speaker);
      CHECK(u.end_s < 0);
      if (test::HaveProgram("soxi")) {
        std::string soxi;
        REQUIRE(test::RunCommand("soxi -D '" + u.audio + "'", &soxi) == 0);
        CHECK(u.duration_s == Approx(std::stod(soxi)).margin(1e-6));
      }
      CHECK(u.duration_s > 1.0);
    }
    total += set.data.size();
  }
  CHECK(total == 8);  // as ../shared/README.md says
  CHECK(LibriSpeech::DataDirName("train-clean-100") == "train_clean_100");
}

TEST_CASE("LibriSpeech import writes data a KaldiDataDir reads back", "[data]") {
  if (test::SkipWithoutShared()) return;
  test::TempDir tmp;
  LibriSpeech corpus(test::SharedDir() + "/speech/librispeech_sample");
  const LibriSpeechSubset set = corpus.ReadSubset("test-clean");
  set.data.Write(tmp.File("test_clean"));
  const KaldiDataDir back = KaldiDataDir::Read(tmp.File("test_clean"));
  CHECK(back.num_durations_measured() == 0);  // utt2dur written by the import is fresh
  REQUIRE(back.size() == set.data.size());
  for (size_t i = 0; i < back.size(); ++i) {
    CHECK(back.utterances()[i].id == set.data.utterances()[i].id);
    CHECK(back.utterances()[i].text == set.data.utterances()[i].text);
    CHECK(back.utterances()[i].speaker == set.data.utterances()[i].speaker);
    CHECK(back.utterances()[i].duration_s ==
          Approx(set.data.utterances()[i].duration_s).margin(1e-9));
  }
}

// <root>/train-x/100/200: 0001 (audio + text), 0002 (audio only), 0003 (text only);
// <root>/train-x/7/8: 0001 with two transcript files' worth of lines.
struct SyntheticCorpus {
  test::TempDir tmp;
  std::string root = tmp.File("LibriSpeech");
  std::string chapter = root + "/train-x/100/200";
  SyntheticCorpus() {
    fs::create_directories(chapter);
    fs::create_directories(root + "/train-x/7/8");
    fs::create_directories(root + "/dev-y");
    test::WriteAudio(chapter + "/100-200-0001.flac", test::Sine(200, 16000, 16000), 16000, 1,
                     "flac");
    test::WriteAudio(chapter + "/100-200-0002.flac", test::Sine(200, 16000, 8000), 16000, 1,
                     "flac");
    std::ofstream(chapter + "/100-200.trans.txt") << "100-200-0001 HELLO WORLD\n"
                                                  << "100-200-0003 NO AUDIO HERE\n";
    test::WriteAudio(root + "/train-x/7/8/7-8-0001.flac", test::Sine(200, 16000, 24000), 16000, 1,
                     "flac");
    std::ofstream(root + "/train-x/7/8/7-8.trans.txt") << "7-8-0001 IT'S A TEST\n";
  }
};

TEST_CASE("LibriSpeech import reports orphans", "[data]") {
  SyntheticCorpus c;
  const LibriSpeechSubset set = LibriSpeech(c.root).ReadSubset("train-x");
  REQUIRE(set.data.size() == 2);
  CHECK(set.data.utterances()[0].id == "100-200-0001");
  CHECK(set.data.utterances()[0].speaker == "100-200");
  CHECK(set.data.utterances()[0].text == "HELLO WORLD");
  CHECK(set.data.utterances()[0].duration_s == Approx(1.0));
  CHECK(set.data.utterances()[1].id == "7-8-0001");
  CHECK(set.data.utterances()[1].text == "IT'S A TEST");
  CHECK(set.data.utterances()[1].duration_s == Approx(1.5));
  CHECK(set.audio_without_text == std::vector<std::string>{c.chapter + "/100-200-0002.flac"});
  CHECK(set.text_without_audio ==
        std::vector<std::string>{c.chapter + "/100-200.trans.txt: line 2: 100-200-0003"});
}

TEST_CASE("LibriSpeech import errors", "[data]") {
  SyntheticCorpus c;
  const LibriSpeech corpus(c.root);
  CHECK_THROWS_WITH(corpus.ReadSubset("train-clean-100"),
                    Catch::Contains("no LibriSpeech subset 'train-clean-100'") &&
                        Catch::Contains("(found: dev-y, train-x)"));
  CHECK_THROWS_WITH(corpus.ReadSubset("../LibriSpeech"), Catch::Contains("no LibriSpeech subset"));
  CHECK_THROWS_WITH(corpus.ReadSubset("dev-y"), Catch::Contains("no utterance with both"));
  CHECK_THROWS_WITH(LibriSpeech(c.tmp.File("nope")).ReadSubset("x"),
                    Catch::Contains("nope: no such directory"));

  SECTION("malformed transcript line") {
    std::ofstream(c.chapter + "/100-200.trans.txt", std::ios::app) << "100-200-0004\n";
    CHECK_THROWS_WITH(corpus.ReadSubset("train-x"),
                      Catch::Contains("100-200.trans.txt: line 3: expected '100-200-NNNN"));
  }
  SECTION("transcript of another chapter") {
    std::ofstream(c.chapter + "/100-200.trans.txt", std::ios::app) << "7-8-0001 STRAY\n";
    CHECK_THROWS_WITH(corpus.ReadSubset("train-x"), Catch::Contains("line 3: expected"));
  }
  SECTION("FLAC named against its folder") {
    test::WriteAudio(c.chapter + "/9-9-0001.flac", test::Sine(200, 16000, 800), 16000, 1, "flac");
    CHECK_THROWS_WITH(corpus.ReadSubset("train-x"),
                      Catch::Contains("9-9-0001.flac: name does not fit its folder"));
  }
  SECTION("corrupt FLAC") {
    std::ofstream(c.chapter + "/100-200-0001.flac") << "not audio";
    CHECK_THROWS_WITH(corpus.ReadSubset("train-x"), Catch::Contains("100-200-0001.flac"));
  }
}

}  // namespace
}  // namespace verbatim
