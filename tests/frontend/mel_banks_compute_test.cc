// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// MelBanks::Compute stores the filters padded for vector loops; its outputs
// must equal the triangles evaluated directly.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/random.h"
#include "frontend/mel_banks.h"

namespace verbatim {
namespace {

// Kaldi's filterbank evaluated directly in double precision: filter `bin`'s
// response to `power` (n/2 + 1 values; FFT bins below Nyquist only).
double DirectFilter(const MelBanksOptions& o, double rate, int n, int bin,
                    const std::vector<float>& power) {
  auto mel = [](double f) { return 1127.0 * std::log(1.0 + f / 700.0); };
  const double nyquist = rate / 2;
  const double high = o.high_freq > 0 ? o.high_freq : nyquist + o.high_freq;
  const double delta = (mel(high) - mel(o.low_freq)) / (o.num_bins + 1);
  const double left = mel(o.low_freq) + bin * delta, center = left + delta, right = center + delta;
  double sum = 0.0;
  bool first = true;
  for (int i = 0; i < (n + 1) / 2; ++i) {
    const double m = mel(i * rate / n);
    if (m <= left || m >= right) continue;
    const double w = m <= center ? (m - left) / (center - left) : (right - m) / (right - center);
    // Kaldi's copy of an HTK bug: the lowest filter's first weight is zero.
    const bool htk_bug = o.htk_mode && bin == 0 && first && o.low_freq != 0.0f;
    first = false;
    if (!htk_bug) sum += w * power[i];
  }
  return (o.htk_mode && sum < 1.0) ? 1.0 : sum;
}

void CheckAgainstDirect(const MelBanksOptions& o, float rate, int n) {
  MelBanks banks(o, rate, n);
  Random rng(n * 7 + o.num_bins);
  std::vector<float> power(n / 2 + 1);
  for (float& p : power) p = static_cast<float>(rng.Uniform() * 1e4);
  std::vector<float> out(o.num_bins, -1.0f);
  banks.Compute(power.data(), out.data());
  double total = 0.0;
  for (int b = 0; b < o.num_bins; ++b) total += DirectFilter(o, rate, n, b, power);
  for (int b = 0; b < o.num_bins; ++b) {
    INFO("rate " << rate << " Hz, FFT " << n << ", " << o.num_bins << " bins: filter " << b);
    // A relative bound on each filter, and an absolute one for FFT bins on a
    // filter edge, where float and double may disagree about membership (the
    // weight there is nearly zero).
    CHECK(out[b] == Approx(DirectFilter(o, rate, n, b, power)).epsilon(1e-5).margin(1e-6 * total));
  }
}

TEST_CASE("mel filter outputs equal the triangles evaluated directly", "[mel]") {
  MelBanksOptions o;
  for (int bins : {23, 40, 80, 128}) {
    o.num_bins = bins;
    CheckAgainstDirect(o, 16000.0f, bins == 128 ? 1024 : 512);
  }
  o.num_bins = 15;
  o.low_freq = 100.0f;
  o.high_freq = -200.0f;
  CheckAgainstDirect(o, 8000.0f, 200);  // not a power of two
  CheckAgainstDirect(o, 8000.0f, 201);  // odd: the last bin belongs to the top filter
  o.htk_mode = true;
  CheckAgainstDirect(o, 8000.0f, 256);
  // Tiny FFTs, where the top filters cover most of the spectrum and cannot
  // all be padded to whole vectors.
  o = MelBanksOptions();
  o.num_bins = 3;
  o.low_freq = 0.0f;
  for (int n = 10; n <= 16; ++n) CheckAgainstDirect(o, 16000.0f, n);
}

}  // namespace
}  // namespace verbatim
