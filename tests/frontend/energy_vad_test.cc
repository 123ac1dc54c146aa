// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Energy VAD on synthetic signals whose speech regions are known by
// construction: tone bursts in low noise, and long amplitude-modulated noise
// without pauses.
#include "frontend/energy_vad.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/error.h"
#include "base/random.h"

namespace verbatim {
namespace {

constexpr int kRate = 16000;

struct Burst {
  double begin_s, end_s;
};

// Background noise (std-dev `noise` in 16-bit units) with tone bursts of
// amplitude 8000 (about -12 dBFS).
std::vector<float> Bursts(double total_s, const std::vector<Burst>& bursts, double noise = 10.0,
                          uint64_t seed = 1) {
  Random rng(seed);
  std::vector<float> x(static_cast<size_t>(total_s * kRate));
  for (auto& v : x) v = static_cast<float>(noise * rng.Gaussian());
  for (const Burst& b : bursts)
    for (int64_t i = std::lround(b.begin_s * kRate); i < std::lround(b.end_s * kRate); ++i)
      x[i] += static_cast<float>(8000.0 * std::sin(2 * M_PI * 440.0 * i / kRate));
  return x;
}

double Seconds(int64_t samples) { return static_cast<double>(samples) / kRate; }

void CheckSegments(const std::vector<SpeechSegment>& got, const std::vector<Burst>& want,
                   double padding_s, double total_s) {
  constexpr double kTolerance = 0.045;  // s: two 20 ms frames, plus rounding
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("segment " << i << ": " << Seconds(got[i].begin) << " .. " << Seconds(got[i].end));
    CHECK(std::abs(Seconds(got[i].begin) - std::max(0.0, want[i].begin_s - padding_s)) <
          kTolerance);
    CHECK(std::abs(Seconds(got[i].end) - std::min(total_s, want[i].end_s + padding_s)) <
          kTolerance);
  }
}

TEST_CASE("energy VAD finds tone bursts separated by silence", "[energy_vad]") {
  const std::vector<Burst> bursts = {{0.5, 1.7}, {3.0, 3.4}, {5.2, 8.0}};
  const auto x = Bursts(10.0, bursts);
  EnergyVadOptions opts;
  opts.padding_ms = 0;
  CheckSegments(DetectSpeech(x, kRate, opts), bursts, 0.0, 10.0);
  opts.padding_ms = 200;
  CheckSegments(DetectSpeech(x, kRate, opts), bursts, 0.2, 10.0);
}

TEST_CASE("energy VAD finds speech at the very start and end", "[energy_vad]") {
  // The first noise floor comes from the first 3 s, which include a pause.
  const std::vector<Burst> bursts = {{0.0, 1.0}, {2.5, 4.0}};
  EnergyVadOptions opts;
  opts.padding_ms = 100;
  CheckSegments(DetectSpeech(Bursts(4.0, bursts), kRate, opts), bursts, 0.1, 4.0);
}

TEST_CASE("energy VAD bridges short pauses and drops clicks", "[energy_vad]") {
  EnergyVadOptions opts;
  opts.padding_ms = 0;
  opts.min_silence_ms = 500;
  opts.min_speech_ms = 150;
  // 0.3 s pause: bridged; 0.06 s click at 4 s: dropped.
  const auto x = Bursts(6.0, {{1.0, 2.0}, {2.3, 3.0}, {4.0, 4.06}});
  CheckSegments(DetectSpeech(x, kRate, opts), {{1.0, 3.0}}, 0.0, 6.0);
  // With a shorter minimum silence the pause separates two segments.
  opts.min_silence_ms = 200;
  CheckSegments(DetectSpeech(x, kRate, opts), {{1.0, 2.0}, {2.3, 3.0}}, 0.0, 6.0);
}

TEST_CASE("energy VAD gives no segment for silence and noise only", "[energy_vad]") {
  EnergyVadOptions opts;
  CHECK(DetectSpeech(std::vector<float>(5 * kRate, 0.0f), kRate, opts).empty());
  CHECK(DetectSpeech(Bursts(30.0, {}, 30.0), kRate, opts).empty());
  CHECK(DetectSpeech(std::vector<float>(), kRate, opts).empty());
  // Quiet but "loud enough" tones below the absolute gate are not speech either.
  auto quiet = Bursts(5.0, {}, 0.0);
  for (size_t i = kRate; i < 2u * kRate; ++i)
    quiet[i] = static_cast<float>(20.0 * std::sin(2 * M_PI * 440.0 * i / kRate));
  CHECK(DetectSpeech(quiet, kRate, opts).empty());
}

// 100 s of noise modulated at syllable rate (about 4 Hz) with a quiet dip
// (-30 dB for 100 ms) every 1.1 to 1.9 s, never silent for 500 ms: one long
// stretch of "speech" that must be cut into segments below the maximum,
// at the dips.
std::vector<float> SpeechLikeNoise(double total_s, std::vector<double>* dips) {
  Random rng(7);
  const int64_t n = static_cast<int64_t>(total_s * kRate);
  std::vector<float> x(n);
  for (int64_t i = 0; i < n; ++i) {
    const double envelope = 0.6 + 0.4 * std::sin(2 * M_PI * 4.0 * i / kRate);
    x[i] = static_cast<float>(3000.0 * envelope * rng.Gaussian());
  }
  for (double t = rng.Uniform(1.1, 1.9); t + 0.1 < total_s; t += rng.Uniform(1.1, 1.9)) {
    dips->push_back(t + 0.05);
    for (int64_t i = std::lround(t * kRate); i < std::lround((t + 0.1) * kRate); ++i) x[i] *= 0.03f;
  }
  return x;
}

TEST_CASE("energy VAD splits long speech under the maximum length at pauses", "[energy_vad]") {
  std::vector<double> dips;
  const auto x = SpeechLikeNoise(100.0, &dips);
  EnergyVadOptions opts;
  opts.max_segment_s = 15.0;
  const auto segments = DetectSpeech(x, kRate, opts);
  REQUIRE(segments.size() >= 7);  // 100 s / 15 s
  CHECK(segments.front().begin == 0);
  CHECK(segments.back().end == static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < segments.size(); ++i) {
    INFO("segment " << i << ": " << Seconds(segments[i].begin) << " .. "
                    << Seconds(segments[i].end));
    CHECK(Seconds(segments[i].end - segments[i].begin) <= 15.0 + 1e-9);
    if (i == 0) continue;
    // Contiguous (no pause long enough to leave a gap), cut inside a dip.
    CHECK(segments[i].begin == segments[i - 1].end);
    const double cut = Seconds(segments[i].begin);
    double nearest = 1e9;
    for (double d : dips) nearest = std::min(nearest, std::abs(d - cut));
    CHECK(nearest < 0.07);
  }
}

TEST_CASE("energy VAD streaming gives the same segments for any block size", "[energy_vad]") {
  std::vector<double> dips;
  auto x = SpeechLikeNoise(40.0, &dips);
  const auto bursts = Bursts(40.0, {{2.0, 5.0}, {12.0, 12.5}, {30.0, 39.0}});
  for (size_t i = 0; i < x.size(); ++i) x[i] = i < 20u * kRate ? bursts[i] : x[i];
  EnergyVadOptions opts;
  opts.max_segment_s = 6.0;
  const auto whole = DetectSpeech(x, kRate, opts);
  REQUIRE(whole.size() >= 5);
  Random rng(3);
  EnergyVad vad(opts, kRate);
  std::vector<SpeechSegment> streamed;
  int64_t pending = 0;
  for (size_t pos = 0; pos < x.size();) {
    const size_t n = std::min<size_t>(x.size() - pos, rng.UniformInt(1, 9000));
    const size_t before = streamed.size();
    vad.Accept(x.data() + pos, n, &streamed);
    pos += n;
    // Nothing emitted now or later starts before the pending point
    // announced earlier, and that point never moves back.
    for (size_t i = before; i < streamed.size(); ++i) CHECK(streamed[i].begin >= pending);
    CHECK(vad.FirstPendingSample() >= pending);
    pending = vad.FirstPendingSample();
    CHECK(pending <= static_cast<int64_t>(pos));
  }
  vad.Finish(&streamed);
  REQUIRE(streamed.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(streamed[i].begin == whole[i].begin);
    CHECK(streamed[i].end == whole[i].end);
  }
}

TEST_CASE("energy VAD refuses bad options", "[energy_vad]") {
  EnergyVadOptions opts;
  opts.frame_ms = 0;
  CHECK_THROWS_AS(EnergyVad(opts, kRate), Error);
  opts = {};
  opts.max_segment_s = 0.1;
  CHECK_THROWS_AS(EnergyVad(opts, kRate), Error);
  opts = {};
  opts.threshold_db = -1.0;
  CHECK_THROWS_AS(EnergyVad(opts, kRate), Error);
  CHECK_THROWS_AS(EnergyVad(EnergyVadOptions(), 0), Error);
}

}  // namespace
}  // namespace verbatim
