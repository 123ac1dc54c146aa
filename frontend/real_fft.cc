// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/real_fft.h"

#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftr.h>

#include <cmath>
#include <cstdlib>

#include "base/error.h"

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
  // kiss_fftr keeps scratch space in its configuration (not thread-safe):
  // Forward() only. kiss_fft out of place only reads its configuration.
  kiss_fftr_cfg real_cfg = nullptr;       // even lengths, Forward()
  kiss_fft_cfg half_cfg = nullptr;        // even lengths, PowerSpectrum(): n/2 complex points
  kiss_fft_cfg complex_cfg = nullptr;     // odd lengths
  std::vector<kiss_fft_cpx> forward_out;  // Forward()'s bins (even lengths)
  // Even lengths: exp(-i pi (k / (n/2) + 1/2)) for 0 < k < n/4, kiss_fftr's
  // "super twiddles", split into real and imaginary parts for vector loads.
  std::vector<float> twiddle_re, twiddle_im;
};

namespace {

// kiss_fft_cpx is two floats: (re, im) pairs in float vectors serve as its arrays.
kiss_fft_cpx* AsComplex(float* pairs) { return reinterpret_cast<kiss_fft_cpx*>(pairs); }
const kiss_fft_cpx* AsComplex(const float* pairs) {
  return reinterpret_cast<const kiss_fft_cpx*>(pairs);
}

}  // namespace

RealFft::RealFft(int n) : n_(n), impl_(new Impl) {
  Check(n >= 2, "FFT length must be at least 2, got " + std::to_string(n));
  if (n % 2 == 0) {
    const int half = n / 2;
    impl_->real_cfg = kiss_fftr_alloc(n, 0, nullptr, nullptr);
    impl_->half_cfg = kiss_fft_alloc(half, 0, nullptr, nullptr);
    impl_->forward_out.resize(half + 1);
    for (int k = 1; k <= (half - 1) / 2; ++k) {
      // Double precision, as kiss_fftr computes its twiddles.
      const double phase = -kPi * (static_cast<double>(k) / half + 0.5);
      impl_->twiddle_re.push_back(static_cast<float>(std::cos(phase)));
      impl_->twiddle_im.push_back(static_cast<float>(std::sin(phase)));
    }
  } else {
    impl_->complex_cfg = kiss_fft_alloc(n, 0, nullptr, nullptr);
  }
  Check((impl_->real_cfg != nullptr && impl_->half_cfg != nullptr) || impl_->complex_cfg != nullptr,
        "cannot allocate an FFT of length " + std::to_string(n));
  scratch_ = MakeScratch();
}

RealFft::~RealFft() = default;

RealFft::Scratch RealFft::MakeScratch() const {
  Scratch s;
  if (n_ % 2 == 0) {
    s.bins.resize(2 * (n_ / 2 + 1));
    s.re.resize(n_ / 2);
    s.im.resize(n_ / 2);
  } else {
    s.bins.resize(2 * n_);
    s.complex_in.resize(2 * n_);
  }
  return s;
}

void RealFft::Forward(const float* in, std::complex<float>* out) {
  const kiss_fft_cpx* bins = nullptr;
  if (impl_->real_cfg) {
    kiss_fftr(impl_->real_cfg, in, impl_->forward_out.data());
    bins = impl_->forward_out.data();
  } else {
    for (int i = 0; i < n_; ++i) {
      scratch_.complex_in[2 * i] = in[i];
      scratch_.complex_in[2 * i + 1] = 0.0f;
    }
    kiss_fft(impl_->complex_cfg, AsComplex(scratch_.complex_in.data()),
             AsComplex(scratch_.bins.data()));
    bins = AsComplex(scratch_.bins.data());
  }
  for (int k = 0; k < num_bins(); ++k) out[k] = {bins[k].r, bins[k].i};
}

void RealFft::PowerSpectrum(const float* in, float* power, Scratch* scratch) const {
  if (impl_->half_cfg) {
    // The real signal read as n/2 complex values (even samples real, odd
    // imaginary), exactly as kiss_fftr passes it on.
    kiss_fft(impl_->half_cfg, AsComplex(in), AsComplex(scratch->bins.data()));
    SplitPower(scratch->bins.data(), power, scratch);
    return;
  }
  for (int i = 0; i < n_; ++i) {
    scratch->complex_in[2 * i] = in[i];
    scratch->complex_in[2 * i + 1] = 0.0f;
  }
  kiss_fft(impl_->complex_cfg, AsComplex(scratch->complex_in.data()),
           AsComplex(scratch->bins.data()));
  const float* bins = scratch->bins.data();
  for (int k = 0; k < num_bins(); ++k)
    power[k] = bins[2 * k] * bins[2 * k] + bins[2 * k + 1] * bins[2 * k + 1];
}

// kiss_fftr's split of the packed transform Z into the real signal's bins X,
// fused with |X|^2. For 0 < k < n/2, with f1 = Z[k] + conj(Z[n/2-k]),
// f2 = Z[k] - conj(Z[n/2-k]) and t = f2 * twiddle[k]:
//   X[k] = (f1 + t) / 2,  X[n/2-k] = conj(f1 - t) / 2.
// Scaling the squared sums by 1/4 instead of halving X is exact (a power of
// two). Z is first split into real and imaginary parts: GCC vectorizes
// interleaved loads and reversed loads, but not both in one loop.
void RealFft::SplitPower(const float* bins, float* __restrict power, Scratch* scratch) const {
  const int half = n_ / 2;
  const float* __restrict z = bins;  // interleaved (re, im) pairs
  float* __restrict re = scratch->re.data();
  float* __restrict im = scratch->im.data();
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
