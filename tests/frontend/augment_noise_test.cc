// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Additive noise (SNR, noise files cropped and looped, white and pink noise)
// and volume perturbation.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "base/error.h"
#include "frontend/additive_noise.h"
#include "frontend/audio_reader.h"
#include "frontend/real_fft.h"
#include "frontend/volume_perturb.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

using NoiseType = AdditiveNoiseOptions::NoiseType;
constexpr int kRate = 16000;

// A speech-like test signal at the 16-bit scale: two tones, one amplitude-modulated.
std::vector<float> Signal(int n) {
  std::vector<float> x = test::Sine(300.0, kRate, n, 6000.0);
  const std::vector<float> y = test::Sine(1700.0, kRate, n, 3000.0);
  for (int i = 0; i < n; ++i) x[i] += y[i] * (1.0f + std::sin(2 * M_PI * 3.0 * i / kRate));
  return x;
}

double PowerOf(const std::vector<float>& x) {
  double sum = 0.0;
  for (float v : x) sum += double(v) * v;
  return sum / x.size();
}

std::vector<float> Difference(const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> d(a.size());
  for (size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

// 10 log10(P(clean) / P(noisy - clean)).
double MeasuredSnrDb(const std::vector<float>& clean, const std::vector<float>& noisy) {
  return 10.0 * std::log10(PowerOf(clean) / PowerOf(Difference(noisy, clean)));
}

// Writes `n` samples of uniform noise in [-0.3, 0.3] as a float WAV at `rate`.
void WriteNoiseFile(const std::string& path, int n, int rate, uint64_t seed) {
  Random rng(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(rng.Uniform(-0.3, 0.3));
  test::WriteAudio(path, x, rate, 1, "float");
}

// Runs `noise` over many seeds: every measured SNR equals the drawn one, and
// the drawn ones cover [min, max].
void CheckSnrs(const AdditiveNoise& noise, const std::vector<float>& clean) {
  const auto& opts = noise.options();
  double lowest = 1e9, highest = -1e9, worst = 0.0;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    std::vector<float> noisy = clean;
    Random rng(seed);
    const AdditiveNoiseRecord record = noise.Apply(&noisy, &rng);
    REQUIRE(noisy.size() == clean.size());
    CHECK(record.snr_db >= opts.min_snr_db);
    CHECK(record.snr_db <= opts.max_snr_db);
    CHECK(record.noise_scale > 0.0);
    worst = std::max(worst, std::abs(MeasuredSnrDb(clean, noisy) - record.snr_db));
    lowest = std::min(lowest, record.snr_db), highest = std::max(highest, record.snr_db);
  }
  INFO("largest |measured - requested| SNR " << worst << " dB");
  CHECK(worst < 0.1);
  const double span = opts.max_snr_db - opts.min_snr_db;
  CHECK(lowest < opts.min_snr_db + 0.1 * span);
  CHECK(highest > opts.max_snr_db - 0.1 * span);
}

TEST_CASE("additive generated noise reaches the requested SNR", "[augment][noise]") {
  for (NoiseType type : {NoiseType::kWhite, NoiseType::kPink}) {
    AdditiveNoiseOptions opts;
    opts.min_snr_db = -5.0;
    opts.max_snr_db = 25.0;
    opts.generated_noise = type;
    CheckSnrs(AdditiveNoise(opts), Signal(8000));
  }
}

TEST_CASE("additive noise from files reaches the requested SNR", "[augment][noise]") {
  test::TempDir tmp;
  WriteNoiseFile(tmp.File("short.wav"), 3000, kRate, 1);  // shorter than the signal: looped
  WriteNoiseFile(tmp.File("long.wav"), 40000, kRate, 2);  // longer: cropped
  WriteNoiseFile(tmp.File("8k.wav"), 20000, 8000, 3);     // resampled to 16 kHz
  AdditiveNoiseOptions opts;
  opts.noise_files = {tmp.File("short.wav"), tmp.File("long.wav"), tmp.File("8k.wav")};
  AdditiveNoise noise(opts);
  CheckSnrs(noise, Signal(12000));
}

TEST_CASE("additive noise takes the noise file at the recorded offset", "[augment][noise]") {
  test::TempDir tmp;
  WriteNoiseFile(tmp.File("short.wav"), 3001, kRate, 4);
  WriteNoiseFile(tmp.File("long.wav"), 30000, kRate, 5);
  const std::vector<float> clean = Signal(10000);
  for (const char* name : {"short.wav", "long.wav"}) {
    const std::string path = tmp.File(name);
    const std::vector<float> file = ReadAudio(path).samples;
    AdditiveNoiseOptions opts;
    opts.noise_files = {path};
    AdditiveNoise noise(opts);
    for (uint64_t seed = 0; seed < 10; ++seed) {
      std::vector<float> noisy = clean;
      Random rng(seed);
      const auto record = noise.Apply(&noisy, &rng);
      INFO(name << " seed " << seed << " offset " << record.offset);
      CHECK(record.source == path);
      REQUIRE(record.offset >= 0);
      REQUIRE(record.offset < static_cast<int64_t>(file.size()));
      if (file.size() > clean.size())
        CHECK(record.offset + clean.size() <= file.size());  // a crop, not wrapped
      int off = 0;
      for (size_t i = 0; i < clean.size(); ++i) {
        const float expected = static_cast<float>(
            clean[i] + record.noise_scale * file[(record.offset + i) % file.size()]);
        off += std::abs(noisy[i] - expected) > 1e-3f * (1.0f + std::abs(expected));
      }
      CHECK(off == 0);
    }
  }
}

TEST_CASE("additive noise is reproducible from its seed", "[augment][noise]") {
  test::TempDir tmp;
  WriteNoiseFile(tmp.File("a.wav"), 30000, kRate, 6);
  WriteNoiseFile(tmp.File("b.wav"), 30000, kRate, 7);
  AdditiveNoiseOptions file_opts;
  file_opts.noise_files = {tmp.File("a.wav"), tmp.File("b.wav")};
  AdditiveNoiseOptions pink_opts;
  pink_opts.generated_noise = NoiseType::kPink;
  for (const AdditiveNoiseOptions& opts : {AdditiveNoiseOptions(), pink_opts, file_opts}) {
    AdditiveNoise noise(opts);
    const std::vector<float> clean = Signal(5000);
    std::vector<float> a = clean, b = clean, c = clean;
    Random ra(21), rb(21), rc(22);
    const auto rec_a = noise.Apply(&a, &ra);
    const auto rec_b = noise.Apply(&b, &rb);
    noise.Apply(&c, &rc);
    CHECK(a == b);
    CHECK(rec_a.snr_db == rec_b.snr_db);
    CHECK(rec_a.source == rec_b.source);
    CHECK(rec_a.offset == rec_b.offset);
    CHECK(a != c);
  }
}

TEST_CASE("additive noise names a missing noise file", "[augment][noise]") {
  AdditiveNoiseOptions opts;
  opts.noise_files = {"/nonexistent/noise/babble-17.wav"};
  CHECK_THROWS_AS(AdditiveNoise(opts), Error);
  CHECK_THROWS_WITH(AdditiveNoise(opts), Catch::Contains("/nonexistent/noise/babble-17.wav"));
  opts.noise_files.clear();
  opts.min_snr_db = 10.0;
  opts.max_snr_db = 5.0;
  CHECK_THROWS_WITH(AdditiveNoise(opts), Catch::Contains("SNR"));
}

TEST_CASE("additive noise leaves a silent signal silent", "[augment][noise]") {
  AdditiveNoise noise;
  std::vector<float> silence(1000, 0.0f);
  Random rng(1);
  const auto record = noise.Apply(&silence, &rng);
  CHECK(record.noise_scale == 0.0);
  CHECK(std::all_of(silence.begin(), silence.end(), [](float v) { return v == 0.0f; }));
}

// Mean power per octave band [f, 2f) Hz, by averaged 1024-point periodograms.
std::vector<double> OctavePowers(const std::vector<float>& x, const std::vector<double>& lows) {
  const int n = 1024;
  RealFft fft(n);
  std::vector<double> psd(n / 2 + 1, 0.0);
  std::vector<float> power(n / 2 + 1);
  for (size_t start = 0; start + n <= x.size(); start += n) {
    fft.PowerSpectrum(x.data() + start, power.data());
    for (int k = 0; k <= n / 2; ++k) psd[k] += power[k];
  }
  std::vector<double> bands;
  for (double low : lows) {
    double sum = 0.0;
    for (int k = 0; k <= n / 2; ++k) {
      const double f = k * double(kRate) / n;
      if (f >= low && f < 2 * low) sum += psd[k];
    }
    bands.push_back(sum);
  }
  return bands;
}

TEST_CASE("pink noise falls 3 dB per octave, white noise is flat", "[augment][noise]") {
  Random rng(3);
  const std::vector<float> pink = PinkNoise(kRate * 20, &rng);
  const std::vector<float> white = WhiteNoise(kRate * 20, &rng);
  CHECK(PowerOf(pink) == Approx(1.0).epsilon(0.05));
  CHECK(PowerOf(white) == Approx(1.0).epsilon(0.02));
  const std::vector<double> lows = {125.0, 250.0, 500.0, 1000.0, 2000.0};
  const auto pink_bands = OctavePowers(pink, lows);
  const auto white_bands = OctavePowers(white, lows);
  for (size_t b = 1; b < lows.size(); ++b) {
    // Pink: equal power per octave. White: power doubles with the bandwidth.
    const double pink_step = 10.0 * std::log10(pink_bands[b] / pink_bands[b - 1]);
    const double white_step = 10.0 * std::log10(white_bands[b] / white_bands[b - 1]);
    INFO("octave from " << lows[b] << " Hz: pink " << pink_step << " dB, white " << white_step);
    CHECK(std::abs(pink_step) < 0.5);
    CHECK(std::abs(white_step - 3.01) < 0.5);
  }
}

TEST_CASE("volume perturbation draws gains in range, reproducibly", "[augment][volume]") {
  VolumePerturb volume;  // Kaldi's 0.125 .. 2
  const std::vector<float> clean = Signal(2000);
  double sum = 0.0, lowest = 10.0, highest = 0.0;
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    std::vector<float> x = clean;
    Random rng(seed), again(seed);
    const double gain = volume.Apply(&x, &rng);
    CHECK(gain == volume.ChooseGain(&again));
    CHECK(gain >= 0.125);
    CHECK(gain < 2.0);
    CHECK(x[100] == Approx(clean[100] * gain));
    CHECK(x[1999] == Approx(clean[1999] * gain));
    sum += gain, lowest = std::min(lowest, gain), highest = std::max(highest, gain);
  }
  CHECK(sum / 1000 == Approx(1.0625).epsilon(0.05));  // uniform: mean (0.125 + 2) / 2
  CHECK(lowest < 0.2);
  CHECK(highest > 1.9);
  VolumePerturbOptions bad;
  bad.min_gain = 3.0;
  CHECK_THROWS_WITH(VolumePerturb(bad), Catch::Contains("gain"));
}

}  // namespace
}  // namespace verbatim
