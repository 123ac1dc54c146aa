// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The utt2dur cache: measured once, re-used (same file, nothing measured),
// really read back, and rebuilt when wav.scp/segments change or ids differ.
#include "asr/data/duration_cache.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "asr/data/kaldi_data_dir.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

// Sets a file's modification time `seconds` away from `reference`'s.
void SetMtime(const std::string& path, const std::string& reference, int seconds) {
  fs::last_write_time(path, fs::last_write_time(reference) + std::chrono::seconds(seconds));
}

struct CacheFixture {
  test::TempDir tmp;
  std::string dir = tmp.File("data");
  std::string utt2dur = dir + "/utt2dur";
  DataDirOptions no_text;
  CacheFixture() {
    fs::create_directories(dir);
    test::WriteAudio(tmp.File("a.wav"), test::Sine(300, 16000, 8000), 16000, 1);  // 0.5 s
    test::WriteAudio(tmp.File("b.wav"), test::Sine(300, 8000, 12000), 8000, 1);   // 1.5 s
    test::WriteAudio(tmp.File("c.flac"), test::Sine(300, 16000, 52000), 16000, 1, "flac");
    std::ofstream(dir + "/wav.scp")
        << "a " << tmp.File("a.wav") << "\nb " << tmp.File("b.wav") << "\n";
    no_text.require_text = false;
  }
  KaldiDataDir Read() const { return KaldiDataDir::Read(dir, no_text); }
};

TEST_CASE("utt2dur is measured once and re-used", "[data]") {
  CacheFixture f;
  REQUIRE_FALSE(fs::exists(f.utt2dur));
  const KaldiDataDir first = f.Read();
  CHECK(first.num_durations_measured() == 2);
  REQUIRE(fs::exists(f.utt2dur));
  CHECK(test::ReadFile(f.utt2dur) == "a 0.5\nb 1.5\n");  // Kaldi's format, sorted
  const auto written = fs::last_write_time(f.utt2dur);

  const KaldiDataDir second = f.Read();
  CHECK(second.num_durations_measured() == 0);
  CHECK(fs::last_write_time(f.utt2dur) == written);  // not rewritten
  CHECK(second.utterances()[0].duration_s == 0.5);
  CHECK(second.utterances()[1].duration_s == 1.5);

  // The values really come from the file: a hand-edited (fresh) cache is
  // believed, since nothing says it is stale.
  std::ofstream(f.utt2dur) << "b 7.25\na 3\n";
  const KaldiDataDir edited = f.Read();
  CHECK(edited.num_durations_measured() == 0);
  CHECK(edited.utterances()[0].duration_s == 3.0);
  CHECK(edited.utterances()[1].duration_s == 7.25);
}

TEST_CASE("utt2dur is rebuilt when wav.scp is newer", "[data]") {
  CacheFixture f;
  f.Read();
  // Same ids, b now points to a 3.25 s file; wav.scp newer than utt2dur.
  std::ofstream(f.dir + "/wav.scp")
      << "a " << f.tmp.File("a.wav") << "\nb " << f.tmp.File("c.flac") << "\n";
  SetMtime(f.utt2dur, f.dir + "/wav.scp", -2);  // utt2dur older than wav.scp
  const KaldiDataDir set = f.Read();
  CHECK(set.num_durations_measured() == 2);
  CHECK(set.utterances()[1].duration_s == Approx(3.25));
  CHECK(test::ReadFile(f.utt2dur) == "a 0.5\nb 3.25\n");
  CHECK(f.Read().num_durations_measured() == 0);  // fresh again
}

TEST_CASE("utt2dur is rebuilt when ids differ or it is malformed", "[data]") {
  CacheFixture f;
  f.Read();
  // A recording added, but wav.scp made older than utt2dur: the ids decide.
  std::ofstream(f.dir + "/wav.scp", std::ios::app) << "c " << f.tmp.File("c.flac") << "\n";
  SetMtime(f.dir + "/wav.scp", f.utt2dur, -10);
  KaldiDataDir set = f.Read();
  CHECK(set.num_durations_measured() == 3);
  CHECK(test::ReadFile(f.utt2dur) == "a 0.5\nb 1.5\nc 3.25\n");

  std::ofstream(f.utt2dur) << "a 0.5\nb oops\nc 3.25\n";
  SetMtime(f.dir + "/wav.scp", f.utt2dur, -10);
  CHECK(f.Read().num_durations_measured() == 3);
  CHECK(test::ReadFile(f.utt2dur) == "a 0.5\nb 1.5\nc 3.25\n");
}

TEST_CASE("utt2dur follows segments", "[data]") {
  CacheFixture f;
  std::ofstream(f.dir + "/segments") << "s1 a 0 0.25\ns2 b 0.5 1.375\n";
  KaldiDataDir set = f.Read();
  CHECK(set.num_durations_measured() == 2);
  CHECK(test::ReadFile(f.utt2dur) == "s1 0.25\ns2 0.875\n");
  std::ofstream(f.dir + "/segments") << "s1 a 0 0.25\ns2 b 0.5 1.5\n";
  SetMtime(f.utt2dur, f.dir + "/segments", -2);
  set = f.Read();
  CHECK(set.num_durations_measured() == 2);
  CHECK(set.utterances()[1].duration_s == 1.0);
}

TEST_CASE("DurationCache alone", "[data]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("wav.scp")) << "x /x.wav\n";
  const DurationCache cache(tmp.path());
  std::vector<double> durations;
  CHECK_FALSE(cache.Load({"x"}, &durations));  // no utt2dur yet
  REQUIRE(cache.Save({"y", "x"}, {2.0, 1.0 / 3.0}));
  CHECK(test::ReadFile(cache.path()) == "x 0.3333333333\ny 2\n");
  REQUIRE(cache.Load({"y", "x"}, &durations));
  CHECK(durations == std::vector<double>{2.0, 0.3333333333});
  CHECK_FALSE(cache.Load({"x"}, &durations));  // ids differ
  CHECK_THROWS_WITH(cache.Save({"x"}, {-1.0}), Catch::Contains("unknown duration for 'x'"));
}

}  // namespace
}  // namespace verbatim
