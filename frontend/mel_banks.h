// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Triangular mel filters over an FFT power spectrum, as Kaldi's mel-computations
// (mel = 1127 ln(1 + f / 700), filters evenly spaced on that scale, the
// Nyquist bin left out).
#pragma once

#include <vector>

#include "base/option_registry.h"

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

  void Register(OptionRegistry* registry);  // num_mel_bins, low_freq, high_freq
};

float MelScale(float freq_hz);
float InverseMelScale(float mel);

class MelBanks {
 public:
  // `padded_window_size` is the FFT length, `sample_frequency` in Hz.
  MelBanks(const MelBanksOptions& opts, float sample_frequency, int padded_window_size);

  int num_bins() const { return static_cast<int>(filters_.size()); }

  // Filter outputs (num_bins() values) for a power spectrum with
  // padded_window_size / 2 + 1 values.
  void Compute(const float* power_spectrum, float* mel_energies) const;

  // Centre frequency of each filter, Hz.
  const std::vector<float>& center_freqs() const { return center_freqs_; }

 private:
  static constexpr int kLanes = 4;  // vector width, floats
  void AddFilter(int first, std::vector<float> weights, int num_power_bins);
  void ComputePadded(const float* power_spectrum, float* mel_energies) const;
  // HTK floors the filter outputs (Kaldi does too in htk_mode).
  float Floor(float sum) const { return (htk_mode_ && sum < 1.0f) ? 1.0f : sum; }

  // A filter weighs FFT bins first_index .. first_index + size - 1 with
  // weights_[offset ..]. Zero weights at the end (or, where that would pass
  // the top of the spectrum, at the start) make sizes multiples of kLanes,
  // so that Compute() runs whole vectors.
  struct Filter {
    int first_index;
    int size;
    int offset;
  };
  std::vector<Filter> filters_;
  std::vector<float> weights_;  // all filters' weights, concatenated
  bool padded_ = true;          // every filter's size is a multiple of kLanes
  bool htk_mode_ = false;
  std::vector<float> center_freqs_;
};

}  // namespace verbatim
