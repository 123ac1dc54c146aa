// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Band-limited sample-rate conversion through libsoxr (the resampler behind
// sox's `rate` effect), one channel, streaming or one-shot.
#pragma once

#include <cstddef>
#include <vector>

namespace verbatim {

struct ResamplerOptions {
  // libsoxr quality recipe (unitless): "quick", "low", "medium", "high"
  // (20-bit precision, flat to 91.3% of the lower Nyquist frequency; sox's
  // default `rate -h` is a close relative: converting to 16 kHz, the two agree
  // to ~130 dB SNR on speech-band tones and to ~70 dB on white noise, whose
  // difference lies in the 7.3-8 kHz transition band) or "very-high" (28-bit).
  enum class Quality { kQuick, kLow, kMedium, kHigh, kVeryHigh };
  Quality quality = Quality::kHigh;
};

class Resampler {
 public:
  // Rates in Hz; any positive ratio.
  Resampler(double input_rate_hz, double output_rate_hz, const ResamplerOptions& opts = {});
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Feeds `n` samples and appends the output that is ready to `out`.
  void Process(const float* in, size_t n, std::vector<float>* out);
  // Signals the end of input and appends the remaining output to `out`. The
  // total output is then round(n_in * ratio()) samples, give or take one.
  // No Process after Flush.
  void Flush(std::vector<float>* out);

  double ratio() const { return output_rate_ / input_rate_; }

 private:
  void Run(const float* in, size_t n, std::vector<float>* out);
  double input_rate_;
  double output_rate_;
  bool flushed_ = false;
  void* soxr_ = nullptr;  // soxr_t, kept out of the header
};

// Whole-signal conversion; output length is round(n * out / in).
std::vector<float> Resample(const std::vector<float>& in, double input_rate_hz,
                            double output_rate_hz, const ResamplerOptions& opts = {});

}  // namespace verbatim
