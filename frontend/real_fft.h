// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The FFT of a real signal, behind a small class so that KissFFT stays an
// implementation detail. Any length >= 2 works. For even lengths Forward()
// uses kiss_fftr; PowerSpectrum() runs KissFFT's half-length complex
// transform of the signal packed as complex pairs (as kiss_fftr does) and
// fuses kiss_fftr's split into the real signal's bins with the squaring, in a
// loop the compiler vectorizes. Odd lengths use the full complex transform.
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

  // Working memory of one PowerSpectrum call at a time (MakeScratch()).
  struct Scratch {
    std::vector<float> bins;        // transform output, (re, im) pairs
    std::vector<float> re, im;      // even lengths: the bins split by part
    std::vector<float> complex_in;  // odd lengths: the input as (re, im) pairs
  };
  Scratch MakeScratch() const;

  // |X[k]|^2 for k = 0 .. num_bins()-1 into `power`: the squared magnitude
  // of Forward() to float rounding, faster. Thread-safe: the object is only
  // read; each thread brings its own `scratch`.
  void PowerSpectrum(const float* in, float* power, Scratch* scratch) const;
  void PowerSpectrum(const float* in, float* power) { PowerSpectrum(in, power, &scratch_); }

 private:
  struct Impl;
  void SplitPower(const float* bins, float* power, Scratch* scratch) const;
  int n_;
  std::unique_ptr<Impl> impl_;
  Scratch scratch_;  // for the two-argument PowerSpectrum
};

}  // namespace verbatim
