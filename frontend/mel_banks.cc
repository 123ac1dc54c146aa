// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/mel_banks.h"

#include <cmath>
#include <string>

#include "frontend/error.h"

namespace verbatim {

// Single precision on purpose: Kaldi computes the scale in float, and the
// filter edges must land on the same FFT bins as Kaldi's.
float MelScale(float freq_hz) { return 1127.0f * logf(1.0f + freq_hz / 700.0f); }
float InverseMelScale(float mel) { return 700.0f * (expf(mel / 1127.0f) - 1.0f); }

MelBanks::MelBanks(const MelBanksOptions& opts, float sample_frequency, int padded_window_size) {
  Check(opts.num_bins >= 3,
        "number of mel bins must be at least 3, got " + std::to_string(opts.num_bins));
  Check(padded_window_size >= 2, "FFT length too small");
  // FFT bins strictly below Nyquist: Kaldi's padded_window_size / 2 for the
  // even lengths it supports; for odd lengths the last bin, (n - 1) / 2, lies
  // below Nyquist and belongs to the top filter too.
  const int num_fft_bins = (padded_window_size + 1) / 2;
  const float nyquist = 0.5f * sample_frequency;
  const float low_freq = opts.low_freq;
  const float high_freq = opts.high_freq > 0.0f ? opts.high_freq : nyquist + opts.high_freq;
  Check(low_freq >= 0.0f && low_freq < nyquist && high_freq > 0.0f && high_freq <= nyquist &&
            high_freq > low_freq,
        "bad mel frequency range: low-freq " + std::to_string(low_freq) + " Hz, high-freq " +
            std::to_string(high_freq) + " Hz, Nyquist " + std::to_string(nyquist) + " Hz");

  const float fft_bin_width = sample_frequency / padded_window_size;
  const float mel_low = MelScale(low_freq);
  const float mel_high = MelScale(high_freq);
  const float mel_delta = (mel_high - mel_low) / (opts.num_bins + 1);

  htk_mode_ = opts.htk_mode;
  bins_.resize(opts.num_bins);
  center_freqs_.resize(opts.num_bins);
  for (int bin = 0; bin < opts.num_bins; ++bin) {
    const float left = mel_low + bin * mel_delta;
    const float center = mel_low + (bin + 1) * mel_delta;
    const float right = mel_low + (bin + 2) * mel_delta;
    center_freqs_[bin] = InverseMelScale(center);
    Bin& b = bins_[bin];
    int first = -1;
    for (int i = 0; i < num_fft_bins; ++i) {
      const float mel = MelScale(fft_bin_width * i);
      if (!(mel > left && mel < right)) continue;
      const float weight =
          mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
      if (first == -1) first = i;
      // Bins inside the triangle are contiguous; fill any gap defensively.
      b.weights.resize(i - first + 1, 0.0f);
      b.weights[i - first] = weight;
    }
    Check(first != -1, "mel bin " + std::to_string(bin) + " is empty: too many mel bins (" +
                           std::to_string(opts.num_bins) + ") for an FFT of length " +
                           std::to_string(padded_window_size));
    b.first_index = first;
    if (opts.htk_mode && bin == 0 && mel_low != 0.0f) b.weights[0] = 0.0f;
  }
}

void MelBanks::Compute(const float* power_spectrum, float* mel_energies) const {
  for (size_t bin = 0; bin < bins_.size(); ++bin) {
    const Bin& b = bins_[bin];
    const float* p = power_spectrum + b.first_index;
    float sum = 0.0f;
    for (size_t i = 0; i < b.weights.size(); ++i) sum += b.weights[i] * p[i];
    // HTK floors the filter outputs (Kaldi does too in htk_mode).
    mel_energies[bin] = (htk_mode_ && sum < 1.0f) ? 1.0f : sum;
  }
}

}  // namespace verbatim
