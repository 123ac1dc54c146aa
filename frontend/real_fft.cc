// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/real_fft.h"

#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftr.h>

#include <cstdlib>

#include "frontend/error.h"

namespace verbatim {

struct RealFft::Impl {
  kiss_fftr_cfg real_cfg = nullptr;  // even lengths
  kiss_fft_cfg complex_cfg = nullptr;  // odd lengths
  std::vector<kiss_fft_cpx> in;   // complex input, odd lengths only
  std::vector<kiss_fft_cpx> out;  // n/2+1 (even) or n (odd) bins
};

RealFft::RealFft(int n) : n_(n), impl_(new Impl) {
  Check(n >= 2, "FFT length must be at least 2, got " + std::to_string(n));
  if (n % 2 == 0) {
    impl_->real_cfg = kiss_fftr_alloc(n, 0, nullptr, nullptr);
    impl_->out.resize(n / 2 + 1);
  } else {
    impl_->complex_cfg = kiss_fft_alloc(n, 0, nullptr, nullptr);
    impl_->in.resize(n);
    impl_->out.resize(n);
  }
  Check(impl_->real_cfg != nullptr || impl_->complex_cfg != nullptr,
        "cannot allocate an FFT of length " + std::to_string(n));
}

RealFft::~RealFft() {
  // kiss_fft(r)_alloc returns one malloc'ed block.
  std::free(impl_->real_cfg);
  std::free(impl_->complex_cfg);
}

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
  const auto* bins = static_cast<const kiss_fft_cpx*>(Transform(in));
  for (int k = 0; k < num_bins(); ++k) power[k] = bins[k].r * bins[k].r + bins[k].i * bins[k].i;
}

}  // namespace verbatim
