// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/real_fft.h"

#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftr.h>

#include <cmath>
#include <cstdlib>

#include "frontend/error.h"

namespace verbatim {
namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

struct RealFft::Impl {
  ~Impl() {
    // kiss_fft(r)_alloc returns one malloc'ed block.
    std::free(real_cfg);
    std::free(half_cfg);
    std::free(complex_cfg);
  }
  kiss_fftr_cfg real_cfg = nullptr;    // even lengths, Forward()
  kiss_fft_cfg half_cfg = nullptr;     // even lengths, PowerSpectrum(): n/2 complex points
  kiss_fft_cfg complex_cfg = nullptr;  // odd lengths
  std::vector<kiss_fft_cpx> in;        // complex input, odd lengths only
  std::vector<kiss_fft_cpx> out;       // n/2+1 (even) or n (odd) bins
  // Even lengths: exp(-i pi (k / (n/2) + 1/2)) for 0 < k < n/4, kiss_fftr's
  // "super twiddles", split into real and imaginary parts for vector loads.
  std::vector<float> twiddle_re, twiddle_im;
  std::vector<float> split_re, split_im;  // even lengths: out[0 .. n/2) by part
};

RealFft::RealFft(int n) : n_(n), impl_(new Impl) {
  Check(n >= 2, "FFT length must be at least 2, got " + std::to_string(n));
  if (n % 2 == 0) {
    const int half = n / 2;
    impl_->real_cfg = kiss_fftr_alloc(n, 0, nullptr, nullptr);
    impl_->half_cfg = kiss_fft_alloc(half, 0, nullptr, nullptr);
    impl_->out.resize(half + 1);
    impl_->split_re.resize(half);
    impl_->split_im.resize(half);
    for (int k = 1; k <= (half - 1) / 2; ++k) {
      // Double precision, as kiss_fftr computes its twiddles.
      const double phase = -kPi * (static_cast<double>(k) / half + 0.5);
      impl_->twiddle_re.push_back(static_cast<float>(std::cos(phase)));
      impl_->twiddle_im.push_back(static_cast<float>(std::sin(phase)));
    }
  } else {
    impl_->complex_cfg = kiss_fft_alloc(n, 0, nullptr, nullptr);
    impl_->in.resize(n);
    impl_->out.resize(n);
  }
  Check((impl_->real_cfg != nullptr && impl_->half_cfg != nullptr) || impl_->complex_cfg != nullptr,
        "cannot allocate an FFT of length " + std::to_string(n));
}

RealFft::~RealFft() = default;

const void* RealFft::Transform(const float* in) {
  if (impl_->real_cfg) {
    kiss_fftr(impl_->real_cfg, in, impl_->out.data());
  } else {
    for (int i = 0; i < n_; ++i) impl_->in[i] = kiss_fft_cpx{in[i], 0.0f};
    kiss_fft(impl_->complex_cfg, impl_->in.data(), impl_->out.data());
  }
  return impl_->out.data();
}

void RealFft::Forward(const float* in, std::complex<float>* out) {
  const auto* bins = static_cast<const kiss_fft_cpx*>(Transform(in));
  for (int k = 0; k < num_bins(); ++k) out[k] = {bins[k].r, bins[k].i};
}

void RealFft::PowerSpectrum(const float* in, float* power) {
  if (impl_->half_cfg) {
    // The real signal read as n/2 complex values (even samples real, odd
    // imaginary), exactly as kiss_fftr passes it on.
    kiss_fft(impl_->half_cfg, reinterpret_cast<const kiss_fft_cpx*>(in), impl_->out.data());
    SplitPower(power);
    return;
  }
  const auto* bins = static_cast<const kiss_fft_cpx*>(Transform(in));
  for (int k = 0; k < num_bins(); ++k) power[k] = bins[k].r * bins[k].r + bins[k].i * bins[k].i;
}

// kiss_fftr's split of the packed transform Z into the real signal's bins X,
// fused with |X|^2. For 0 < k < n/2, with f1 = Z[k] + conj(Z[n/2-k]),
// f2 = Z[k] - conj(Z[n/2-k]) and t = f2 * twiddle[k]:
//   X[k] = (f1 + t) / 2,  X[n/2-k] = conj(f1 - t) / 2.
// Scaling the squared sums by 1/4 instead of halving X is exact (a power of
// two). Z is first split into real and imaginary parts: GCC vectorizes
// interleaved loads and reversed loads, but not both in one loop.
void RealFft::SplitPower(float* __restrict power) const {
  const int half = n_ / 2;
  const float* __restrict z = &impl_->out[0].r;  // interleaved (re, im) pairs
  float* __restrict re = impl_->split_re.data();
  float* __restrict im = impl_->split_im.data();
  for (int k = 0; k < half; ++k) {
    re[k] = z[2 * k];
    im[k] = z[2 * k + 1];
  }
  const float dc = re[0] + im[0], nyquist = re[0] - im[0];
  power[0] = dc * dc;
  power[half] = nyquist * nyquist;
  const float* __restrict w_re = impl_->twiddle_re.data();
  const float* __restrict w_im = impl_->twiddle_im.data();
  // k and half - k never meet here (the write ranges must not overlap for
  // the vectorized loop); for even half, the middle bin follows.
  const int quarter = (half - 1) / 2;
  for (int k = 1; k <= quarter; ++k) {
    const float ar = re[k], ai = im[k];
    const float br = re[half - k], bi = -im[half - k];
    const float f1r = ar + br, f1i = ai + bi;
    const float f2r = ar - br, f2i = ai - bi;
    const float tr = f2r * w_re[k - 1] - f2i * w_im[k - 1];
    const float ti = f2r * w_im[k - 1] + f2i * w_re[k - 1];
    const float xr = f1r + tr, xi = f1i + ti;
    const float yr = f1r - tr, yi = ti - f1i;
    power[k] = 0.25f * (xr * xr + xi * xi);
    power[half - k] = 0.25f * (yr * yr + yi * yi);
  }
  // Middle bin: f1 = 2 Re Z, f2 = 2i Im Z, twiddle -1: X = conj(Z).
  if (half % 2 == 0 && half >= 2) {
    const int k = half / 2;
    power[k] = re[k] * re[k] + im[k] * im[k];
  }
}

}  // namespace verbatim
