// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// recipes/mini/local/make_corpus.sh: the synthetic espeak-ng corpus is the
// same bytes for the same seed, other for another seed; its texts are
// normalized and in one split only; its Kaldi files agree with each other and
// with the audio (read back with libsndfile); and a failed run leaves nothing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "frontend/audio_reader.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

const char* const kSplits[] = {"train", "dev", "test"};

std::string RepoDir() {
  const std::string golden = test::GoldenDir();  // <repo>/tests/golden
  return golden.substr(0, golden.size() - std::string("/tests/golden").size());
}

std::string Script() { return RepoDir() + "/recipes/mini/local/make_corpus.sh"; }

// Prints a skip message and returns true when the script's tools are missing.
bool SkipWithoutTools() {
  for (const char* program : {"espeak-ng", "sox", "soxi"}) {
    if (!test::HaveProgram(program)) {
      WARN("SKIPPED: " << program << " not installed (tools/install_deps.sh)");
      return true;
    }
  }
  if (!std::ifstream("/usr/share/games/fortunes/fortunes").good()) {
    WARN("SKIPPED: Debian's fortunes not installed (tools/install_deps.sh)");
    return true;
  }
  return false;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::istringstream in(test::ReadFile(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A Kaldi "key value..." file as a map; REQUIREs unique keys and C-locale
// sorted lines.
std::map<std::string, std::string> ReadKaldiMap(const std::string& path) {
  INFO(path);
  const std::vector<std::string> lines = ReadLines(path);
  REQUIRE(std::is_sorted(lines.begin(), lines.end()));
  std::map<std::string, std::string> result;
  for (const std::string& line : lines) {
    const size_t space = line.find(' ');
    REQUIRE(space != std::string::npos);
    REQUIRE(result.emplace(line.substr(0, space), line.substr(space + 1)).second);
  }
  return result;
}

void MakeCorpus(const std::string& out, int seed, const std::string& extra = "") {
  std::string log;
  const int status = test::RunCommand("bash " + Script() + " --tiny --jobs 2 --seed " +
                                          std::to_string(seed) + " --out " + out + " " + extra,
                                      &log);
  INFO(log);
  REQUIRE(status == 0);
}

TEST_CASE("make_corpus.sh gives the same corpus for the same seed", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  const std::string a = tmp.File("a"), b = tmp.File("b"), c = tmp.File("c");
  MakeCorpus(a, 7);
  MakeCorpus(b, 7);
  MakeCorpus(c, 8);

  std::set<std::string> texts_seen;
  std::map<std::string, std::string> seed8_text;
  for (const char* split : kSplits) {
    INFO(split);
    for (const char* file : {"text", "utt2spk", "spk2utt", "utt2dur"})
      CHECK(test::ReadFile(a + "/" + split + "/" + file) == test::ReadFile(b + "/" + split + "/" + file));
    const auto scp_a = ReadKaldiMap(a + "/" + split + "/wav.scp");
    const auto scp_b = ReadKaldiMap(b + "/" + split + "/wav.scp");
    REQUIRE(scp_a.size() == scp_b.size());
    for (const auto& entry : scp_a) {
      INFO(entry.first);
      REQUIRE(scp_b.count(entry.first) == 1);
      // Absolute paths into each corpus' own folder, otherwise the same.
      REQUIRE(entry.second.compare(0, a.size() + 1, a + "/") == 0);
      REQUIRE(scp_b.at(entry.first).compare(0, b.size() + 1, b + "/") == 0);
      CHECK(entry.second.substr(a.size()) == scp_b.at(entry.first).substr(b.size()));
      const bool same_audio = test::ReadFile(entry.second) == test::ReadFile(scp_b.at(entry.first));
      CHECK(same_audio);
    }
    for (const auto& entry : ReadKaldiMap(c + "/" + split + "/text")) seed8_text.insert(entry);
  }
  CHECK(test::ReadFile(a + "/corpus.txt") == test::ReadFile(b + "/corpus.txt"));

  // Another seed: other sentences and other audio.
  std::map<std::string, std::string> seed7_text;
  for (const char* split : kSplits)
    for (const auto& entry : ReadKaldiMap(a + "/" + split + "/text")) seed7_text.insert(entry);
  CHECK(seed7_text != seed8_text);
  std::set<std::string> seed7_sentences, seed8_sentences;
  for (const auto& entry : seed7_text) seed7_sentences.insert(entry.second);
  for (const auto& entry : seed8_text) seed8_sentences.insert(entry.second);
  CHECK(seed7_sentences != seed8_sentences);
  const auto scp_a = ReadKaldiMap(a + "/dev/wav.scp");
  const auto scp_c = ReadKaldiMap(c + "/dev/wav.scp");
  const bool same_audio = test::ReadFile(scp_a.begin()->second) == test::ReadFile(scp_c.begin()->second);
  CHECK_FALSE(same_audio);
}

TEST_CASE("make_corpus.sh writes consistent Kaldi data dirs of normalized text", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  const std::string out = tmp.File("corpus");
  MakeCorpus(out, 3);
  // LibriSpeech style: upper-case words with in-word apostrophes, single
  // spaces, 3 to 20 words.
  const std::regex normalized("[A-Z]+('[A-Z]+)*( [A-Z]+('[A-Z]+)*){2,19}");
  const std::map<std::string, size_t> expected_utts = {{"train", 30}, {"dev", 10}, {"test", 10}};
  std::map<std::string, std::string> split_of_text;
  for (const char* split : kSplits) {
    INFO(split);
    const std::string dir = out + "/" + split;
    const auto text = ReadKaldiMap(dir + "/text");
    const auto scp = ReadKaldiMap(dir + "/wav.scp");
    const auto utt2spk = ReadKaldiMap(dir + "/utt2spk");
    const auto utt2dur = ReadKaldiMap(dir + "/utt2dur");
    const auto spk2utt = ReadKaldiMap(dir + "/spk2utt");
    CHECK(text.size() == expected_utts.at(split));
    REQUIRE(scp.size() == text.size());
    REQUIRE(utt2spk.size() == text.size());
    REQUIRE(utt2dur.size() == text.size());
    size_t utts_in_spk2utt = 0;
    for (const auto& entry : spk2utt) {
      std::istringstream utts(entry.second);
      for (std::string utt; utts >> utt; ++utts_in_spk2utt) CHECK(utt2spk.at(utt) == entry.first);
    }
    CHECK(utts_in_spk2utt == text.size());
    for (const auto& entry : text) {
      const std::string& utt = entry.first;
      INFO(utt << " " << entry.second);
      CHECK(std::regex_match(entry.second, normalized));
      // No sentence is in two splits (nor twice in one).
      CHECK(split_of_text.emplace(entry.second, split).second);
      REQUIRE(utt2spk.count(utt) == 1);
      CHECK(utt.compare(0, utt2spk.at(utt).size() + 1, utt2spk.at(utt) + "-") == 0);
      REQUIRE(scp.count(utt) == 1);
      REQUIRE(utt2dur.count(utt) == 1);
      // The audio as libsndfile reads it: 16 kHz mono FLAC of the stated length.
      AudioFileReader reader(scp.at(utt));
      CHECK(reader.info().format == "FLAC PCM_16");
      CHECK(reader.info().sample_rate_hz == 16000);
      CHECK(reader.info().num_channels == 1);
      const double seconds = std::stod(utt2dur.at(utt));
      CHECK(seconds > 0.3);
      CHECK(seconds == Approx(reader.info().DurationSeconds()).margin(0.0006));
    }
  }
  const std::string summary = test::ReadFile(out + "/corpus.txt");
  CHECK_THAT(summary, Catch::Contains("seed: 3"));
  CHECK_THAT(summary, Catch::Contains("accents"));
}

TEST_CASE("make_corpus.sh narrows accents, voices, effects and noise on request", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  const std::string out = tmp.File("narrow");
  MakeCorpus(out, 3, "--accents en-us --variants 'm3 f2' --effects-share 0 --noise-share 0");
  const std::vector<std::string> plan = ReadLines(out + "/plan.tsv");
  REQUIRE(plan.size() == 50);  // --tiny: 30 + 10 + 10
  std::set<std::string> voices;
  for (const std::string& line : plan) {
    INFO(line);
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    REQUIRE(fields.size() == 14);
    voices.insert(fields[3]);
    CHECK(fields[7] == "-");            // no effects
    CHECK(std::stoi(fields[9]) >= 40);  // only the faint noise floor
  }
  CHECK(voices == std::set<std::string>{"en-us+f2", "en-us+m3"});
  std::string log;
  CHECK(test::RunCommand("bash " + Script() + " --tiny --accents en-xx --out " + tmp.File("bad"),
                         &log) == 1);
  CHECK_THAT(log, Catch::Contains("no accent 'en-xx'"));
}

TEST_CASE("make_corpus.sh fails clearly and leaves nothing behind", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  std::string log;
  // More dev sentences than fortunes has: the plan fails after the temporary
  // folder was made.
  CHECK(test::RunCommand("bash " + Script() + " --dev-utts 1000000 --out " + tmp.File("big"),
                         &log) != 0);
  CHECK_THAT(log, Catch::Contains("too few"));
  CHECK(test::RunCommand("bash " + Script() + " --tiny --frobnicate --out " + tmp.File("bad"),
                         &log) == 2);
  CHECK_THAT(log, Catch::Contains("unknown option --frobnicate"));
  std::string listing;
  REQUIRE(test::RunCommand("ls -A " + tmp.path(), &listing) == 0);
  CHECK(listing.empty());
}

}  // namespace
}  // namespace verbatim
