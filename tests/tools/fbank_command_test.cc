// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim fbank` end to end: Kaldi parity through the command line, input
// forms, and clear errors.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/test_util.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;

TEST_CASE("verbatim fbank reproduces compute-fbank-feats on a wav.scp", "[tools][fbank]") {
  if (test::SkipWithoutShared()) return;
  const std::string shared = test::SharedDir();
  auto reference = test::ReadArchive(shared + "/reference/kaldi_fbank/speech-fbank80.ark.txt.gz");
  test::TempDir tmp;
  {
    std::ofstream scp(tmp.File("wav.scp"));
    for (const auto& entry : reference)
      scp << entry.first << " " << shared << "/speech/labeled/" << entry.first << ".flac\n";
  }
  std::string log;
  REQUIRE(test::RunCommand(kVerbatim + " fbank --dither=0 --num-mel-bins=80 --threads=2 " +
                               tmp.File("wav.scp") + " ark,t:" + tmp.File("feats.txt"),
                           &log) == 0);
  auto ours = test::ReadArchive(tmp.File("feats.txt"));
  REQUIRE(ours.size() == reference.size());
  for (const auto& entry : reference) {
    INFO(entry.first);
    REQUIRE(ours.count(entry.first) == 1);
    auto diff = test::CompareMatrices(ours[entry.first], entry.second);
    CHECK(diff.mean_abs <= 1e-4);
    CHECK(diff.p999 <= 5e-3);
  }
}

TEST_CASE("verbatim fbank takes audio files and Kaldi boolean flags", "[tools][fbank]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("tone.wav"), test::Sine(440, 8000, 8000), 8000, 1);
  // 8 kHz audio is resampled to the 16 kHz feature rate: 1 s -> 98 frames.
  REQUIRE(test::RunCommand(kVerbatim + " fbank --snip-edges=true --use-energy=true " +
                           tmp.File("tone.wav") + " -o " + tmp.File("out.txt")) == 0);
  auto feats = test::ReadArchive(tmp.File("out.txt"));
  REQUIRE(feats.count("tone") == 1);
  CHECK(feats["tone"].num_frames == 98);
  CHECK(feats["tone"].dim == 24);
}

TEST_CASE("verbatim fbank fails with one clear line and writes nothing", "[tools][fbank]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("wav.scp")) << "utt1 " << tmp.File("missing.flac") << "\n";
  std::ofstream(tmp.File("pipe.scp")) << "utt1 sox -n -t wav - synth 1 sine 440 |\n";
  std::ofstream(tmp.File("bad.scp")) << "utt1\n";
  struct Case {
    std::string args, expect;
  } cases[] = {
      {tmp.File("wav.scp"), "missing.flac: no such file"},
      {tmp.File("pipe.scp"), "--allow-pipes"},
      {tmp.File("bad.scp"), "bad.scp: line 1"},
      {"--window-type=triangle " + tmp.File("wav.scp"), "unknown window type"},
      {"--num-mel-bins=500 " + tmp.File("wav.scp"), "mel bin"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    std::string err;
    const int status = test::RunCommand(
        kVerbatim + " fbank " + c.args + " ark,t:" + tmp.File("out.txt") + " 2>&1 >/dev/null",
        &err);
    CHECK(status != 0);
    CHECK_THAT(err, Catch::Contains(c.expect) && Catch::StartsWith("verbatim fbank: error:"));
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK_FALSE(std::ifstream(tmp.File("out.txt")).good());
  }
}

TEST_CASE("verbatim fbank runs pipe entries only when allowed", "[tools][fbank]") {
  if (!test::HaveProgram("sox")) {
    WARN("SKIPPED: sox not installed");
    return;
  }
  test::TempDir tmp;
  std::ofstream(tmp.File("pipe.scp")) << "utt1 sox -n -r 16000 -b 16 -t wav - synth 1 sine 440 |\n";
  std::string out;
  REQUIRE(test::RunCommand(kVerbatim + " fbank --allow-pipes " + tmp.File("pipe.scp") + " -o " +
                               tmp.File("out.txt"),
                           &out) == 0);
  auto feats = test::ReadArchive(tmp.File("out.txt"));
  REQUIRE(feats.count("utt1") == 1);
  CHECK(feats["utt1"].num_frames == 98);
}

}  // namespace
}  // namespace verbatim
