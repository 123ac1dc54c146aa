// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi-compatible log-mel filterbank features (compute-fbank-feats). The
// options and their defaults are Kaldi's; with the same options the output
// matches Kaldi's to float rounding.
#pragma once

#include <cstdint>
#include <vector>

#include "base/random.h"
#include "frontend/feature_matrix.h"
#include "frontend/frame_extraction.h"
#include "frontend/mel_banks.h"
#include "frontend/real_fft.h"

namespace verbatim {

struct FbankOptions {
  FrameExtractionOptions frame;
  MelBanksOptions mel;
  bool use_energy = false;  // add log energy as an extra dimension (first, or last with htk_compat)
  float energy_floor = 0.0f;  // floor on the energy (linear, not log); 0 = none
  bool raw_energy = true;     // energy before pre-emphasis and windowing
  bool htk_compat = false;    // energy last instead of first
  bool use_log_fbank = true;  // log of the mel energies (else linear)
  bool use_power = true;      // power spectrum (else magnitude)

  // Every field, with Kaldi's names (compute-fbank-feats --help).
  void Register(OptionRegistry* registry);

  // Output dimension: mel bins, plus one with use_energy.
  int Dim() const { return mel.num_bins + (use_energy ? 1 : 0); }
};

// Computes fbank features. The window, mel filters and FFT plan are built
// once, at construction, and only read afterwards: one object serves every
// utterance and every thread (each call brings its own working memory).
class Fbank {
 public:
  explicit Fbank(const FbankOptions& opts);

  const FbankOptions& options() const { return opts_; }
  int Dim() const { return opts_.Dim(); }

  // Features of a whole signal: samples at opts.frame.sample_frequency, at
  // Kaldi's 16-bit integer scale. Dither noise starts from `dither_seed`
  // (the options' dither_seed when not given).
  FeatureMatrix Compute(const std::vector<float>& samples) const;
  FeatureMatrix Compute(const float* samples, int64_t num_samples) const;
  FeatureMatrix Compute(const float* samples, int64_t num_samples, uint64_t dither_seed) const;

  // Working memory of one ComputeFrame call at a time.
  struct Scratch {
    std::vector<float> frame;  // PaddedWindowSize() values
    std::vector<float> power;  // PaddedWindowSize() / 2 + 1 values
    RealFft::Scratch fft;
  };
  Scratch MakeScratch() const;

  // Computes frame `frame` into `out` (Dim() values). `wave` holds signal
  // samples [sample_offset, sample_offset + num_samples). Used by the whole
  // signal and the streaming paths alike.
  void ComputeFrame(const float* wave, int64_t num_samples, int64_t sample_offset, int64_t frame,
                    Random* dither_rng, Scratch* scratch, float* out) const;

 private:
  FbankOptions opts_;
  FeatureWindow window_;
  MelBanks mel_banks_;
  RealFft fft_;
  float log_energy_floor_ = 0.0f;
};

}  // namespace verbatim
