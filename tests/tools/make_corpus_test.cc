// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// recipes/mini/local/make_corpus.sh: the synthetic corpus (espeak-ng, flite,
// festival) is the same bytes for the same seed and any number of jobs, other
// for another seed; its texts are normalized and in one split only; the
// voices of dev_unseen and test_unseen are in no other split; its Kaldi files
// agree with each other and with the audio (read back with libsndfile); and a
// failed run leaves nothing.
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

const char* const kSplits[] = {"train", "dev", "test", "dev_unseen", "test_unseen"};

std::string RepoDir() {
  const std::string golden = test::GoldenDir();  // <repo>/tests/golden
  return golden.substr(0, golden.size() - std::string("/tests/golden").size());
}

std::string Script() { return RepoDir() + "/recipes/mini/local/make_corpus.sh"; }

// Prints a skip message and returns true when the script's tools are missing.
bool SkipWithoutTools() {
  for (const char* program : {"espeak-ng", "sox", "soxi", "flite", "festival"}) {
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

// The TAB-separated fields of every plan.tsv line (16 each).
std::vector<std::vector<std::string>> ReadPlan(const std::string& corpus) {
  std::vector<std::vector<std::string>> plan;
  for (const std::string& line : ReadLines(corpus + "/plan.tsv")) {
    INFO(line);
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    REQUIRE(fields.size() == 16);
    plan.push_back(fields);
  }
  return plan;
}

void MakeCorpus(const std::string& out, int seed, const std::string& extra = "", int jobs = 2) {
  std::string log;
  const int status =
      test::RunCommand("bash " + Script() + " --tiny --jobs " + std::to_string(jobs) + " --seed " +
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
  MakeCorpus(b, 7, "", 1);  // the audio does not depend on the jobs
  MakeCorpus(c, 8);

  std::set<std::string> texts_seen;
  std::map<std::string, std::string> seed8_text;
  for (const char* split : kSplits) {
    INFO(split);
    for (const char* file : {"text", "utt2spk", "spk2utt", "utt2dur"})
      CHECK(test::ReadFile(a + "/" + split + "/" + file) ==
            test::ReadFile(b + "/" + split + "/" + file));
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
  const bool same_audio =
      test::ReadFile(scp_a.begin()->second) == test::ReadFile(scp_c.begin()->second);
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
  const std::map<std::string, size_t> expected_utts = {
      {"train", 30}, {"dev", 10}, {"test", 10}, {"dev_unseen", 10}, {"test_unseen", 10}};
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
  CHECK_THAT(summary, Catch::Contains("held out"));
}

TEST_CASE("make_corpus.sh keeps the voices of the unseen splits out of the others", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  const std::string out = tmp.File("corpus");
  MakeCorpus(out, 5, "--train-utts 120 --dev-utts 20 --test-utts 20");
  std::map<std::string, std::set<std::string>> speakers;  // by split
  std::set<std::string> engines, codecs_seen, codecs_unseen;
  for (const auto& fields : ReadPlan(out)) {
    speakers[fields[0]].insert(fields[2]);
    engines.insert(fields[3]);
    const bool unseen = fields[0].find("unseen") != std::string::npos;
    (unseen ? codecs_unseen : codecs_seen).insert(fields[13]);
  }
  CHECK(engines == std::set<std::string>{"espeak", "festival", "flite"});
  for (const char* unseen : {"dev_unseen", "test_unseen"}) {
    REQUIRE(!speakers[unseen].empty());
    for (const char* seen : {"train", "dev", "test"})
      for (const std::string& speaker : speakers[unseen]) {
        INFO(unseen << " speaker " << speaker << " in " << seen);
        CHECK(speakers[seen].count(speaker) == 0);
      }
  }
  // The GSM codec is a condition of the unseen splits alone.
  CHECK(codecs_seen == std::set<std::string>{"-"});
  CHECK(codecs_unseen.count("gsm") == 1);
  // Every speaker is in the Kaldi files as the plan says.
  for (const char* split : kSplits) {
    std::set<std::string> in_spk2utt;
    for (const auto& entry : ReadKaldiMap(out + "/" + split + "/spk2utt"))
      in_spk2utt.insert(entry.first);
    CHECK(in_spk2utt == speakers[split]);
  }
}

TEST_CASE("make_corpus.sh narrows accents, voices, effects and noise on request", "[corpus]") {
  if (SkipWithoutTools()) return;
  test::TempDir tmp;
  const std::string out = tmp.File("narrow");
  MakeCorpus(out, 3,
             "--engines espeak:1 --accents en-us --variants 'm3 f2' --effects-share 0 "
             "--noise-share 0 --dev-unseen-utts 0 --test-unseen-utts 0");
  const auto plan = ReadPlan(out);
  REQUIRE(plan.size() == 50);  // --tiny: 30 + 10 + 10, no unseen splits
  std::set<std::string> voices;
  for (const auto& fields : plan) {
    voices.insert(fields[4]);
    CHECK(fields[8] == "-");             // no effects
    CHECK(std::stoi(fields[10]) >= 40);  // only the faint noise floor
  }
  CHECK(voices == std::set<std::string>{"en-us+f2", "en-us+m3"});
  CHECK_FALSE(test::RunCommand("test -e " + out + "/test_unseen") == 0);
  std::string log;
  CHECK(test::RunCommand("bash " + Script() + " --tiny --accents en-xx --out " + tmp.File("bad"),
                         &log) == 1);
  CHECK_THAT(log, Catch::Contains("no accent 'en-xx'"));
}

TEST_CASE("synthesize.py renders a pitch-shifted voice through a low-pass", "[corpus]") {
  if (SkipWithoutTools()) return;
  // sox's pitch effect resamples internally: a low-pass at 7 kHz after a
  // shift of -400 cents is above the Nyquist frequency unless the chain goes
  // back to 16 kHz first.
  test::TempDir tmp;
  const std::string dir = tmp.path();
  REQUIRE(test::RunCommand("cd " + dir +
                           " && mkdir -p noise audio/train work && sox -R -n -t s16 -r 16000 -c 1 "
                           "noise/white.s16 synth 20 whitenoise gain -n -3") == 0);
  std::ofstream(dir + "/plan.tsv")
      << "train\tfestival-slt-train-000001\tfestival-slt\tfestival\tcmu_us_slt_arctic_hts\t1.00\t"
         "-400c\t-\tspeed 0.95 lowpass 7000\twhite\t30\t0.5000\t-3\t-\tHello there.\tHELLO "
         "THERE\n";
  std::string log;
  const int status = test::RunCommand(
      "python3 " + RepoDir() + "/recipes/mini/local/synthesize.py --plan " + dir +
          "/plan.tsv --job 0 --jobs 1 --noise-dir " + dir + "/noise --noise white:320000:500000 " +
          "--audio-dir " + dir + "/audio --work " + dir + "/work",
      &log);
  INFO(log);
  CHECK(status == 0);
  AudioFileReader reader(dir + "/audio/train/festival-slt-train-000001.flac");
  CHECK(reader.info().sample_rate_hz == 16000);
  CHECK(reader.info().DurationSeconds() > 0.5);
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
