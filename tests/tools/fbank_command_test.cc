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

// Kaldi's compute-fbank-feats options, every one a flag of fbank and
// compute-cmvn and a key of a configuration's features section (one list of
// names: tests/asr/train/train_config_test.cc checks the keys).
TEST_CASE("fbank and compute-cmvn have every Kaldi fbank option", "[tools][fbank]") {
  const char* kFlags[] = {"--sample-frequency", "--frame-length", "--frame-shift",
                          "--dither",           "--dither-seed",  "--preemphasis-coefficient",
                          "--remove-dc-offset", "--window-type",  "--round-to-power-of-two",
                          "--blackman-coeff",   "--snip-edges",   "--num-mel-bins",
                          "--low-freq",         "--high-freq",    "--use-energy",
                          "--energy-floor",     "--raw-energy",   "--htk-compat",
                          "--use-log-fbank",    "--use-power",    "--config"};
  for (const char* command : {"fbank", "compute-cmvn"}) {
    std::string help;
    REQUIRE(test::RunCommand(kVerbatim + " " + command + " --help", &help) == 0);
    for (const char* flag : kFlags) {
      INFO(command << " " << flag);
      CHECK(help.find(std::string(flag) + " ") != std::string::npos);
    }
  }
}

// Precedence: defaults < the configuration's features section < flags.
TEST_CASE("compute-cmvn --config takes the training configuration's features", "[tools][fbank]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("a.wav"), test::Sine(440.0, 16000, 16000), 16000, 1);
  std::ofstream(tmp.File("train.yaml"))
      << "model:\n  d_model: 64\nfeatures:\n  num_mel_bins: 23\n  use_energy: true\n";
  std::string out;
  REQUIRE(test::RunCommand(kVerbatim + " compute-cmvn --config " + tmp.File("train.yaml") +
                               " --out " + tmp.File("c1.txt") + " " + tmp.File("a.wav"),
                           &out) == 0);
  CHECK(out.find("dim 24") != std::string::npos);  // 23 bins and the energy
  REQUIRE(test::RunCommand(kVerbatim + " compute-cmvn --config " + tmp.File("train.yaml") +
                               " --num-mel-bins=30 --out " + tmp.File("c2.txt") + " " +
                               tmp.File("a.wav"),
                           &out) == 0);
  CHECK(out.find("dim 31") != std::string::npos);
  // The same options as flags give the same statistics.
  REQUIRE(test::RunCommand(kVerbatim + " compute-cmvn --num-mel-bins=23 --use-energy --out " +
                               tmp.File("c3.txt") + " " + tmp.File("a.wav"),
                           &out) == 0);
  CHECK(test::ReadFile(tmp.File("c3.txt")) == test::ReadFile(tmp.File("c1.txt")));
  // A bad features section is an error naming the file and the key.
  std::ofstream(tmp.File("bad.yaml")) << "features:\n  num_mel_bin: 23\n";
  CHECK(test::RunCommand(kVerbatim + " compute-cmvn --config " + tmp.File("bad.yaml") + " --out " +
                             tmp.File("c4.txt") + " " + tmp.File("a.wav"),
                         &out) == 1);
  CHECK(out.find("bad.yaml: features.num_mel_bin: unknown key") != std::string::npos);
}

}  // namespace
}  // namespace verbatim
