// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi data directories: parsing (with and without segments), strict errors
// naming file and line, pipe refusal, write/read round trip, segment audio.
#include "asr/data/kaldi_data_dir.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

// A data directory with two recordings of known lengths (1.0 s and 2.5 s at
// 16 kHz), written out of order, with the given extra files.
struct DataDirFixture {
  test::TempDir tmp;
  std::string dir = tmp.File("data");
  DataDirFixture() {
    std::filesystem::create_directories(dir);
    test::WriteAudio(tmp.File("a.wav"), test::Sine(300, 16000, 16000), 16000, 1);
    test::WriteAudio(tmp.File("b.flac"), test::Sine(500, 16000, 40000), 16000, 1, "flac");
    Put("wav.scp", "rec_b " + tmp.File("b.flac") + "\nrec_a " + tmp.File("a.wav") + "\n");
  }
  void Put(const std::string& name, const std::string& content) const {
    std::ofstream(dir + "/" + name) << content;
  }
};

TEST_CASE("KaldiDataDir reads a directory without segments", "[data]") {
  DataDirFixture f;
  f.Put("text", "rec_b  hello   wide  world \nrec_a A\n");
  f.Put("utt2spk", "rec_a spk1\nrec_b spk2\n");
  const KaldiDataDir set = KaldiDataDir::Read(f.dir);
  REQUIRE(set.size() == 2);
  CHECK_FALSE(set.has_segments());
  CHECK(set.has_text());
  const Utterance& a = set.utterances()[0];
  const Utterance& b = set.utterances()[1];
  CHECK(a.id == "rec_a");  // sorted by id
  CHECK(a.recording == "rec_a");
  CHECK(a.audio == f.tmp.File("a.wav"));
  CHECK(a.speaker == "spk1");
  CHECK(a.text == "A");
  CHECK(b.text == "hello   wide  world");  // the rest of the line, inner spaces kept
  CHECK(b.end_s < 0);
  // Durations from the headers: exactly the sample counts written.
  CHECK(a.duration_s == Approx(1.0).margin(1e-9));
  CHECK(b.duration_s == Approx(2.5).margin(1e-9));
}

TEST_CASE("KaldiDataDir reads segments", "[data]") {
  DataDirFixture f;
  f.Put("segments", "u2 rec_b 1.25 2.5\nu1 rec_a 0 0.5\nu3 rec_b 0.1 1.0\n");
  f.Put("text", "u1 one\nu2 two\nu3 three\n");
  f.Put("utt2spk", "u1 s1\nu2 s1\nu3 s2\n");
  const KaldiDataDir set = KaldiDataDir::Read(f.dir);
  REQUIRE(set.size() == 3);
  CHECK(set.has_segments());
  const auto& u = set.utterances();
  CHECK(u[0].id == "u1");
  CHECK(u[1].id == "u2");
  CHECK(u[2].id == "u3");
  CHECK(u[1].recording == "rec_b");
  CHECK(u[1].audio == f.tmp.File("b.flac"));
  CHECK(u[1].start_s == 1.25);
  CHECK(u[1].end_s == 2.5);
  CHECK(u[1].duration_s == Approx(1.25));
  CHECK(u[2].duration_s == Approx(0.9));
  CHECK(u[2].speaker == "s2");
  CHECK(u[2].text == "three");
}

TEST_CASE("KaldiDataDir without text or utt2spk", "[data]") {
  DataDirFixture f;
  CHECK_THROWS_WITH(KaldiDataDir::Read(f.dir),
                    Catch::Contains("data/text: missing") && Catch::Contains("required"));
  DataDirOptions opts;
  opts.require_text = false;
  const KaldiDataDir set = KaldiDataDir::Read(f.dir, opts);
  REQUIRE(set.size() == 2);
  CHECK_FALSE(set.has_text());
  CHECK(set.utterances()[0].text.empty());
  CHECK(set.utterances()[0].speaker == "rec_a");  // unknown speaker: the utterance id
}

TEST_CASE("KaldiDataDir reports bad lines with file and line", "[data]") {
  struct Case {
    std::string file, content, expect;
  } cases[] = {
      {"wav.scp", "rec_a /x.wav\nrec_b\n", "wav.scp: line 2: expected 'key value'"},
      {"wav.scp", "rec_a /x.wav\nrec_a /y.wav\n", "wav.scp: line 2: duplicated key 'rec_a'"},
      {"segments", "u1 rec_a 0.5\n", "segments: line 1: expected 'utterance recording start end'"},
      {"segments", "u1 rec_a 0 1\nu2 rec_a abc 1\n", "segments: line 2: bad start time 'abc'"},
      {"segments", "u1 rec_a 0 1x\n", "segments: line 1: bad end time '1x'"},
      {"segments", "u1 rec_a 2 1\n", "segments: line 1: end time 1"},
      {"segments", "u1 rec_a 1 1\n", "not after the start time"},
      {"segments", "u1 rec_a -0.5 1\n", "segments: line 1: negative start time"},
      {"segments", "u1 rec_a 0 -1\n", "segments: line 1: end time -1"},
      {"segments", "u1 rec_a 0 1\nu2 rec_zz 0 1\n",
       "segments: line 2: unknown recording 'rec_zz' (not in wav.scp)"},
      {"segments", "u1 rec_a 0 1\nu1 rec_b 0 1\n", "segments: line 2: duplicated key 'u1'"},
      {"text", "rec_a x\nrec_a y\nrec_b z\n", "text: line 2: duplicated key 'rec_a'"},
      {"text", "rec_a x\nrec_b y\nrec_c z\n", "text: line 3: utterance 'rec_c' is not in wav.scp"},
      {"text", "rec_b y\n", "text: no entry for utterance 'rec_a' of wav.scp"},
      {"utt2spk", "rec_a s1 s2\nrec_b s1\n", "utt2spk: line 1: expected 'utterance speaker'"},
      {"utt2spk", "rec_a s1\n", "utt2spk: no entry for utterance 'rec_b'"},
      {"wav.scp", "", "wav.scp: no recordings"},
  };
  for (const Case& c : cases) {
    INFO(c.file << ": " << c.content);
    DataDirFixture f;
    if (c.file != "text") f.Put("text", "rec_a x\nrec_b y\n");
    if (c.file == "segments") f.Put("text", "u1 x\n");
    f.Put(c.file, c.content);
    CHECK_THROWS_WITH(KaldiDataDir::Read(f.dir), Catch::Contains(c.expect));
    try {
      KaldiDataDir::Read(f.dir);
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(f.dir + "/" + c.file));
    }
  }
  test::TempDir tmp;
  CHECK_THROWS_WITH(KaldiDataDir::Read(tmp.File("nope")),
                    Catch::Contains("no such data directory"));
  CHECK_THROWS_WITH(KaldiDataDir::Read(tmp.path()), Catch::Contains("wav.scp: missing"));
}

TEST_CASE("KaldiDataDir refuses pipe entries unless allowed", "[data]") {
  DataDirFixture f;
  const std::string command = "sox -V1 -n -r 16000 -b 16 -t wav - synth 2 sine 440 |";
  f.Put("wav.scp", "rec_a " + f.tmp.File("a.wav") + "\nrec_p " + command + "\n");
  f.Put("text", "rec_a x\nrec_p y\n");
  CHECK_THROWS_WITH(
      KaldiDataDir::Read(f.dir),
      Catch::StartsWith(f.dir + "/wav.scp: line 2 (rec_p): refusing the pipe entry") &&
          Catch::Contains("--allow-pipes"));
  // Built in memory: the same rule.
  Utterance pipe;
  pipe.id = "p";
  pipe.audio = command;
  CHECK_THROWS_WITH(KaldiDataDir(std::vector<Utterance>{pipe}),
                    Catch::Contains("refusing the pipe entry"));
  if (!test::HaveProgram("sox")) {
    WARN("SKIPPED: sox not installed; pipe entries not run");
    return;
  }
  DataDirOptions opts;
  opts.allow_pipes = true;
  const KaldiDataDir set = KaldiDataDir::Read(f.dir, opts);
  REQUIRE(set.size() == 2);
  CHECK(set.utterances()[1].duration_s == Approx(2.0));  // sox synthesized 2 s
  const Waveform wave = set.ReadAudio(set.utterances()[1]);
  CHECK(wave.samples.size() == 32000);
}

TEST_CASE("KaldiDataDir::ReadAudio reads the segment only", "[data]") {
  DataDirFixture f;
  f.Put("segments", "u1 rec_b 1.25 2.5\nu2 rec_a 0.5 0.75\n");
  f.Put("text", "u1 one\nu2 two\n");
  const KaldiDataDir set = KaldiDataDir::Read(f.dir);
  const Waveform whole = ReadAudio(f.tmp.File("b.flac"));
  const Waveform seg = set.ReadAudio(set.utterances()[0]);
  REQUIRE(seg.samples.size() == 20000);  // 1.25 s at 16 kHz
  for (size_t i = 0; i < seg.samples.size(); i += 997)
    CHECK(seg.samples[i] == whole.samples[20000 + i]);
  // At 8 kHz output the segment is resampled: half the samples.
  AudioReadOptions at8k;
  at8k.sample_rate_hz = 8000;
  CHECK(set.ReadAudio(set.utterances()[1], at8k).samples.size() == 2000);
  // A segment past the end of its recording names the utterance.
  Utterance late = set.utterances()[1];
  late.start_s = 5.0;
  late.end_s = 6.0;
  CHECK_THROWS_WITH(set.ReadAudio(late),
                    Catch::StartsWith("utterance 'u2'") && Catch::Contains("bad segment"));
}

TEST_CASE("KaldiDataDir pipe entries with segments are cut from the output", "[data]") {
  if (!test::HaveProgram("sox")) {
    WARN("SKIPPED: sox not installed");
    return;
  }
  DataDirFixture f;
  f.Put("wav.scp", "rec_p sox -V1 " + f.tmp.File("b.flac") + " -t wav - |\n");
  f.Put("segments", "u1 rec_p 1.25 2.5\n");
  f.Put("text", "u1 one\n");
  DataDirOptions opts;
  opts.allow_pipes = true;
  const KaldiDataDir set = KaldiDataDir::Read(f.dir, opts);
  const Waveform whole = ReadAudio(f.tmp.File("b.flac"));
  const Waveform seg = set.ReadAudio(set.utterances()[0]);
  REQUIRE(seg.samples.size() == 20000);
  CHECK(seg.samples.front() == whole.samples[20000]);
  CHECK(seg.samples.back() == whole.samples[39999]);
}

TEST_CASE("KaldiDataDir write/read round trip", "[data]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("r1.wav"), test::Sine(300, 16000, 48000), 16000, 1);
  test::WriteAudio(tmp.File("r2.wav"), test::Sine(300, 16000, 16000), 16000, 1);
  std::vector<Utterance> utts(3);
  utts[0] = {"spkB-u2", "spkB", "SECOND  ONE", "r1", tmp.File("r1.wav"), 1.5, 2.75};
  utts[1] = {"spkA-u1", "spkA", "first", "r1", tmp.File("r1.wav"), 0.0, 1.5};
  utts[2] = {"spkA-u3", "spkA", "", "r2", tmp.File("r2.wav"), 0.25, 0.5};
  KaldiDataDir set(utts);
  REQUIRE(set.has_segments());
  REQUIRE(set.has_text());
  set.Write(tmp.File("out"));
  CHECK(test::ReadFile(tmp.File("out/wav.scp")) ==
        "r1 " + tmp.File("r1.wav") + "\nr2 " + tmp.File("r2.wav") + "\n");
  CHECK(test::ReadFile(tmp.File("out/segments")) ==
        "spkA-u1 r1 0 1.5\nspkA-u3 r2 0.25 0.5\nspkB-u2 r1 1.5 2.75\n");
  CHECK(test::ReadFile(tmp.File("out/text")) == "spkA-u1 first\nspkA-u3\nspkB-u2 SECOND  ONE\n");
  CHECK(test::ReadFile(tmp.File("out/utt2spk")) == "spkA-u1 spkA\nspkA-u3 spkA\nspkB-u2 spkB\n");
  CHECK(test::ReadFile(tmp.File("out/spk2utt")) == "spkA spkA-u1 spkA-u3\nspkB spkB-u2\n");
  CHECK_FALSE(std::filesystem::exists(tmp.File("out/utt2dur")));  // durations unknown
  // No temporary files left behind.
  CHECK(std::distance(std::filesystem::directory_iterator(tmp.File("out")),
                      std::filesystem::directory_iterator()) == 5);

  const KaldiDataDir back = KaldiDataDir::Read(tmp.File("out"));
  REQUIRE(back.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const Utterance& a = set.utterances()[i];
    const Utterance& b = back.utterances()[i];
    INFO(a.id);
    CHECK(a.id == b.id);
    CHECK(a.speaker == b.speaker);
    CHECK(a.text == b.text);
    CHECK(a.recording == b.recording);
    CHECK(a.audio == b.audio);
    CHECK(a.start_s == b.start_s);
    CHECK(a.end_s == b.end_s);
    CHECK(b.duration_s == Approx(a.end_s - a.start_s));
  }
  // Writing the set read back (durations known) adds utt2dur; writing a set
  // without segments removes the stale segments file.
  back.Write(tmp.File("out"));
  CHECK(test::ReadFile(tmp.File("out/utt2dur")) == "spkA-u1 1.5\nspkA-u3 0.25\nspkB-u2 1.25\n");
  Utterance whole;
  whole.id = "r2";
  whole.audio = tmp.File("r2.wav");
  KaldiDataDir(std::vector<Utterance>{whole}).Write(tmp.File("out"));
  CHECK_FALSE(std::filesystem::exists(tmp.File("out/segments")));
  CHECK_FALSE(std::filesystem::exists(tmp.File("out/text")));
  CHECK_FALSE(std::filesystem::exists(tmp.File("out/utt2dur")));
  DataDirOptions no_text;
  no_text.require_text = false;
  const KaldiDataDir single = KaldiDataDir::Read(tmp.File("out"), no_text);
  REQUIRE(single.size() == 1);
  CHECK(single.utterances()[0].duration_s == Approx(1.0));
}

TEST_CASE("KaldiDataDir built in memory checks its utterances", "[data]") {
  Utterance a;
  a.id = "a";
  a.audio = "/x.wav";
  Utterance b = a;
  CHECK_THROWS_WITH(KaldiDataDir(std::vector<Utterance>{a, b}),
                    Catch::Contains("'a': duplicated id"));
  b.id = "b";
  b.recording = "a";
  b.start_s = 0;
  b.end_s = 1;
  CHECK_THROWS_WITH(KaldiDataDir(std::vector<Utterance>{a, b}),
                    Catch::Contains("has no segment while other"));
  a.end_s = 2;
  b.audio = "/y.wav";
  CHECK_THROWS_WITH(KaldiDataDir(std::vector<Utterance>{a, b}),
                    Catch::Contains("recording 'a' has two audio entries"));
  b.audio = a.audio;
  b.id = "b c";
  CHECK_THROWS_WITH(KaldiDataDir(std::vector<Utterance>{a, b}), Catch::Contains("without spaces"));
}

// Found by fuzz/kaldi_data_dir_fuzzer: "r1\r x.wav" made the id "r1\r",
// which Write put at the end of a utt2spk line, where reading trims it.
TEST_CASE("KaldiDataDir refuses ids with any white space", "[data]") {
  DataDirFixture f;
  DataDirOptions opts;
  opts.require_text = false;
  for (const std::string space : {"\r", "\v", "\f"}) {
    f.Put("wav.scp", "rec" + space + "x " + f.tmp.File("a.wav") + "\n");
    CHECK_THROWS_WITH(KaldiDataDir::Read(f.dir, opts), Catch::Contains("without spaces"));
  }
  f.Put("wav.scp", "rec_x " + f.tmp.File("a.wav") + "\n");
  CHECK(KaldiDataDir::Read(f.dir, opts).size() == 1);
}

}  // namespace
}  // namespace verbatim
