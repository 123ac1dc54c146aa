// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The FFT of a real signal, behind a small class so that KissFFT stays an
// implementation detail. Any length >= 2 works: even lengths use kiss_fftr,
// odd lengths fall back to the complex transform.
#pragma once

#include <complex>
#include <memory>
#include <vector>

namespace verbatim {

class RealFft {
 public:
  explicit RealFft(int n);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const { return n_; }
  int num_bins() const { return n_ / 2 + 1; }

  // Unnormalized forward DFT of `in` (size() values) into `out`
  // (num_bins() values, DC to Nyquist).
  void Forward(const float* in, std::complex<float>* out);

  // |X[k]|^2 for k = 0 .. num_bins()-1 into `power`.
  void PowerSpectrum(const float* in, float* power);

 private:
  struct Impl;
  // Runs the transform; returns the kiss_fft_cpx bins (type hidden from the header).
  const void* Transform(const float* in);
  int n_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace verbatim
