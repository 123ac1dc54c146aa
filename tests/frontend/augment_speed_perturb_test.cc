// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Speed perturbation against sox's own `speed` effect. Both run libsoxr at its
// "high" quality, so they agree far beyond what augmentation needs: measured
// 94 .. 101 dB SNR (ours vs sox) on tones and on LibriSpeech speech, equal
// lengths. The bound asserted is 80 dB.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "frontend/audio_reader.h"
#include "frontend/speed_perturb.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

constexpr int kRate = 16000;

// A speech-band test signal: a few tones spread over 0.1 .. 5 kHz, at the
// 16-bit integer scale.
std::vector<float> TestSignal(int n) {
  std::vector<float> x(n, 0.0f);
  const double freqs[] = {110.0, 440.0, 1250.0, 2600.0, 4100.0, 5200.0};
  for (double f : freqs) {
    auto tone = test::Sine(f, kRate, n, 0.12 * 32768.0);
    for (int i = 0; i < n; ++i) x[i] += tone[i];
  }
  return x;
}

// Runs `sox in.wav -e floating-point -b 32 out.wav speed <factor>` on `x`.
std::vector<float> SoxSpeed(const std::vector<float>& x, double factor) {
  test::TempDir tmp;
  std::vector<float> unit(x.size());
  for (size_t i = 0; i < x.size(); ++i) unit[i] = x[i] / 32768.0f;
  test::WriteAudio(tmp.File("in.wav"), unit, kRate, 1, "float");
  std::string output;
  const std::string command = "sox '" + tmp.File("in.wav") + "' -e floating-point -b 32 '" +
                              tmp.File("out.wav") + "' speed " + std::to_string(factor);
  REQUIRE(test::RunCommand(command, &output) == 0);
  AudioReadOptions opts;
  opts.sample_rate_hz = 0;
  Waveform wave = ReadAudio(tmp.File("out.wav"), opts);
  REQUIRE(wave.sample_rate_hz == kRate);
  return wave.samples;
}

// 10 log10(|ref|^2 / |ours - ref|^2) over the common length.
double SnrDb(const std::vector<float>& ours, const std::vector<float>& ref) {
  const size_t n = std::min(ours.size(), ref.size());
  double signal = 0.0, error = 0.0;
  for (size_t i = 0; i < n; ++i) {
    signal += double(ref[i]) * ref[i];
    error += (double(ours[i]) - ref[i]) * (double(ours[i]) - ref[i]);
  }
  return 10.0 * std::log10(signal / std::max(error, 1e-30));
}

double Correlation(const std::vector<float>& a, const std::vector<float>& b) {
  const size_t n = std::min(a.size(), b.size());
  double ab = 0.0, aa = 0.0, bb = 0.0;
  for (size_t i = 0; i < n; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

void CompareWithSox(const std::vector<float>& x, double factor, double min_snr_db,
                    const std::string& what) {
  SpeedPerturb speed;
  const std::vector<float> ours = speed.Apply(x, factor);
  const std::vector<float> sox = SoxSpeed(x, factor);
  const double snr = SnrDb(ours, sox);
  const double corr = Correlation(ours, sox);
  INFO(what << " speed " << factor << ": ours " << ours.size() << " samples, sox " << sox.size()
            << ", SNR " << snr << " dB, correlation " << corr);
  CHECK(std::abs(static_cast<double>(ours.size()) - x.size() / factor) <= 1.0);
  CHECK(std::abs(static_cast<long>(ours.size()) - static_cast<long>(sox.size())) <= 1);
  CHECK(corr > 0.999);
  CHECK(snr > min_snr_db);
}

TEST_CASE("speed perturbation matches sox's speed effect on tones", "[augment][speed][sox]") {
  if (!test::HaveProgram("sox")) {
    WARN("SKIPPED: sox not found");
    return;
  }
  const std::vector<float> x = TestSignal(kRate * 3 / 2);
  for (double factor : {0.9, 0.95, 1.1, 1.2}) CompareWithSox(x, factor, 80.0, "tones");
}

TEST_CASE("speed perturbation matches sox's speed effect on speech", "[augment][speed][sox]") {
  if (test::SkipWithoutShared()) return;
  if (!test::HaveProgram("sox")) {
    WARN("SKIPPED: sox not found");
    return;
  }
  const Waveform wave = ReadAudio(test::SharedDir() + "/speech/labeled/ls_1089-134686-0002.flac");
  for (double factor : {0.9, 1.1}) CompareWithSox(wave.samples, factor, 80.0, "speech");
}

TEST_CASE("speed perturbation keeps factor 1 and scales the length", "[augment][speed]") {
  const std::vector<float> x = TestSignal(10000);
  SpeedPerturb speed;
  CHECK(speed.Apply(x, 1.0) == x);
  for (double factor : {0.8, 0.9, 1.1, 1.25}) {
    INFO("factor " << factor);
    const auto y = speed.Apply(x, factor);
    CHECK(static_cast<long>(y.size()) == std::lround(x.size() / factor));
  }
  CHECK(speed.Apply(std::vector<float>(), 0.9).empty());
}

TEST_CASE("speed perturbation draws each listed factor, reproducibly", "[augment][speed]") {
  SpeedPerturbOptions opts;
  opts.factors = {0.9, 1.0, 1.1};
  SpeedPerturb speed(opts);
  std::map<double, int> counts;
  Random rng(7), again(7);
  for (int i = 0; i < 3000; ++i) {
    const double factor = speed.ChooseFactor(&rng);
    CHECK(factor == speed.ChooseFactor(&again));
    ++counts[factor];
  }
  REQUIRE(counts.size() == 3);
  for (const auto& entry : counts) {
    INFO("factor " << entry.first << " drawn " << entry.second << " times of 3000");
    CHECK(entry.second > 900);  // expected 1000, sd 26
    CHECK(entry.second < 1100);
  }
  const std::vector<float> x = TestSignal(4000);
  Random a(3), b(3);
  double fa = 0.0, fb = 0.0;
  CHECK(speed.Apply(x, &a, &fa) == speed.Apply(x, &b, &fb));
  CHECK(fa == fb);
}

TEST_CASE("speed perturbation rejects bad factors", "[augment][speed]") {
  SpeedPerturbOptions opts;
  opts.factors = {};
  CHECK_THROWS_AS(SpeedPerturb(opts), Error);
  opts.factors = {1.0, -0.9};
  CHECK_THROWS_WITH(SpeedPerturb(opts), Catch::Contains("positive"));
  SpeedPerturb speed;
  CHECK_THROWS_AS(speed.Apply(TestSignal(100), 0.0), Error);
}

}  // namespace
}  // namespace verbatim
