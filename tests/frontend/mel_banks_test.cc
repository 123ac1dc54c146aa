// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <vector>

#include "frontend/mel_banks.h"

namespace verbatim {
namespace {

TEST_CASE("mel scale round trip and Kaldi's constants", "[mel]") {
  CHECK(MelScale(700.0f) == Approx(1127.0 * std::log(2.0)).epsilon(1e-6));
  for (float f : {0.0f, 20.0f, 1000.0f, 7999.0f})
    CHECK(InverseMelScale(MelScale(f)) == Approx(f).margin(1e-2));
}

TEST_CASE("mel filters are triangles that overlap to one between centres", "[mel]") {
  MelBanksOptions opts;
  opts.num_bins = 23;
  MelBanks banks(opts, 16000.0f, 512);
  // A flat spectrum: each filter's output is the sum of its weights, and
  // neighbouring triangles sum to ~1 at every FFT bin between the first and
  // last centre, so the outputs grow with the filter width.
  std::vector<float> flat(257, 1.0f), out(23);
  banks.Compute(flat.data(), out.data());
  for (int b = 1; b < 23; ++b) CHECK(out[b] > out[b - 1] * 0.9f);
  // A single FFT bin lights at most two filters.
  for (int k = 5; k < 250; k += 17) {
    std::vector<float> spike(257, 0.0f);
    spike[k] = 1.0f;
    banks.Compute(spike.data(), out.data());
    int lit = 0;
    float total = 0.0f;
    for (float v : out) {
      lit += v > 0.0f;
      total += v;
    }
    INFO("fft bin " << k);
    CHECK(lit <= 2);
    if (lit == 2) CHECK(total == Approx(1.0f).margin(1e-4));
  }
}

TEST_CASE("htk mode floors filter outputs at 1", "[mel]") {
  MelBanksOptions opts;
  opts.num_bins = 10;
  opts.low_freq = 0.0f;
  std::vector<float> zero(257, 0.0f), out(10);
  MelBanks plain(opts, 16000.0f, 512);
  plain.Compute(zero.data(), out.data());
  for (float v : out) CHECK(v == 0.0f);
  opts.htk_mode = true;
  MelBanks htk(opts, 16000.0f, 512);
  htk.Compute(zero.data(), out.data());
  for (float v : out) CHECK(v == 1.0f);
}

}  // namespace
}  // namespace verbatim
