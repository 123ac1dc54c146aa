// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Triangular mel filters over an FFT power spectrum, as Kaldi's mel-computations
// (mel = 1127 ln(1 + f / 700), filters evenly spaced on that scale, the
// Nyquist bin left out).
#pragma once

#include <vector>

namespace verbatim {

struct MelBanksOptions {
  int num_bins = 23;       // number of triangular filters
  float low_freq = 20.0f;  // Hz, lower edge of the first filter
  // Hz, upper edge of the last filter; zero or negative means an offset from
  // the Nyquist frequency (0 = Nyquist, -400 = Nyquist - 400 Hz).
  float high_freq = 0.0f;
  // HTK quirks, as Kaldi's htk_mode: the lowest filter's weight at bin 0 is
  // forced to 0, and filter outputs are floored at 1.0.
  bool htk_mode = false;
};

float MelScale(float freq_hz);
float InverseMelScale(float mel);

class MelBanks {
 public:
  // `padded_window_size` is the FFT length, `sample_frequency` in Hz.
  MelBanks(const MelBanksOptions& opts, float sample_frequency, int padded_window_size);

  int num_bins() const { return static_cast<int>(bins_.size()); }

  // Filter outputs (num_bins() values) for a power spectrum with
  // padded_window_size / 2 + 1 values.
  void Compute(const float* power_spectrum, float* mel_energies) const;

  // Centre frequency of each filter, Hz.
  const std::vector<float>& center_freqs() const { return center_freqs_; }

 private:
  struct Bin {
    int first_index = 0;         // first FFT bin with a non-zero weight
    std::vector<float> weights;  // weights of FFT bins first_index, first_index+1, ...
  };
  std::vector<Bin> bins_;
  bool htk_mode_ = false;
  std::vector<float> center_freqs_;
};

}  // namespace verbatim
