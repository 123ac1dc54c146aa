// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// RealFft's power spectrum (KissFFT's half-length complex transform plus our
// own real split) against a direct DFT in double precision.
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <vector>

#include "base/random.h"
#include "frontend/real_fft.h"

namespace verbatim {
namespace {

std::vector<double> DirectPower(const std::vector<float>& x) {
  const int n = static_cast<int>(x.size());
  std::vector<double> power(n / 2 + 1);
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> sum = 0.0;
    for (int t = 0; t < n; ++t) sum += double(x[t]) * std::polar(1.0, -2 * M_PI * k * t / n);
    power[k] = std::norm(sum);
  }
  return power;
}

TEST_CASE("real FFT power spectrum equals the direct DFT", "[fbank][fft]") {
  // Even lengths with even and odd halves, powers of two, Kaldi's odd and
  // non-power-of-two frame lengths.
  for (int n : {2, 3, 4, 6, 10, 12, 18, 200, 201, 400, 512, 1024}) {
    Random rng(n);
    std::vector<float> x(n);
    for (float& v : x) v = static_cast<float>(rng.Gaussian() * 3000.0);
    if (n >= 400) std::fill(x.begin() + n * 3 / 4, x.end(), 0.0f);  // padded like a frame
    RealFft fft(n);
    REQUIRE(fft.num_bins() == n / 2 + 1);
    std::vector<float> power(fft.num_bins(), -1.0f);
    fft.PowerSpectrum(x.data(), power.data());
    std::vector<std::complex<float>> bins(fft.num_bins());
    fft.Forward(x.data(), bins.data());
    const std::vector<double> direct = DirectPower(x);
    double total = 0.0;
    for (double p : direct) total += p;
    for (int k = 0; k <= n / 2; ++k) {
      INFO("n " << n << ", bin " << k);
      // Float rounding relative to the bin and to the whole spectrum (quiet
      // bins carry the rounding noise of the loud ones).
      CHECK(power[k] == Approx(direct[k]).epsilon(1e-5).margin(1e-6 * total));
      CHECK(power[k] == Approx(std::norm(bins[k])).epsilon(1e-5).margin(1e-6 * total));
    }
  }
}

TEST_CASE("real FFT power spectrum of a pure tone lands in one bin", "[fbank][fft]") {
  const int n = 512, k0 = 37;
  std::vector<float> x(n);
  for (int t = 0; t < n; ++t) x[t] = static_cast<float>(std::cos(2 * M_PI * k0 * t / n));
  RealFft fft(n);
  std::vector<float> power(fft.num_bins());
  fft.PowerSpectrum(x.data(), power.data());
  CHECK(power[k0] == Approx(n * n / 4.0).epsilon(1e-5));
  for (int k = 0; k <= n / 2; ++k)
    if (k != k0) CHECK(power[k] < 1e-6 * power[k0]);
}

}  // namespace
}  // namespace verbatim
