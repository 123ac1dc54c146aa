// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/mel_banks.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {

// Single precision on purpose: Kaldi computes the scale in float, and the
// filter edges must land on the same FFT bins as Kaldi's.
void MelBanksOptions::Register(OptionRegistry* r) {
  r->Register("num_mel_bins", &num_bins, "number of triangular mel filters");
  r->Register("low_freq", &low_freq, "low cutoff of the mel filters, Hz");
  r->Register("high_freq", &high_freq,
              "high cutoff of the mel filters, Hz (<= 0: offset from the Nyquist frequency)");
}

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
  center_freqs_.resize(opts.num_bins);
  for (int bin = 0; bin < opts.num_bins; ++bin) {
    const float left = mel_low + bin * mel_delta;
    const float center = mel_low + (bin + 1) * mel_delta;
    const float right = mel_low + (bin + 2) * mel_delta;
    center_freqs_[bin] = InverseMelScale(center);
    std::vector<float> weights;
    int first = -1;
    for (int i = 0; i < num_fft_bins; ++i) {
      const float mel = MelScale(fft_bin_width * i);
      if (!(mel > left && mel < right)) continue;
      const float weight =
          mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
      if (first == -1) first = i;
      // Bins inside the triangle are contiguous; fill any gap defensively.
      weights.resize(i - first + 1, 0.0f);
      weights[i - first] = weight;
    }
    Check(first != -1, "mel bin " + std::to_string(bin) + " is empty: too many mel bins (" +
                           std::to_string(opts.num_bins) + ") for an FFT of length " +
                           std::to_string(padded_window_size));
    if (opts.htk_mode && bin == 0 && mel_low != 0.0f) weights[0] = 0.0f;
    AddFilter(first, weights, padded_window_size / 2 + 1);
  }
}

// Pads the filter with zero weights to a multiple of kLanes FFT bins, at the
// end or, near the top of the spectrum, at the start, staying inside the
// `num_power_bins` values of the power spectrum. Only a tiny FFT can leave no
// room; then that filter stays as it is and Compute() takes its scalar path.
void MelBanks::AddFilter(int first, std::vector<float> weights, int num_power_bins) {
  const int size = static_cast<int>(weights.size());
  const int padded = (size + kLanes - 1) / kLanes * kLanes;
  if (padded <= num_power_bins) {
    const int lead = std::max(0, first + padded - num_power_bins);
    weights.insert(weights.begin(), lead, 0.0f);
    weights.resize(padded, 0.0f);
    first -= lead;
  } else {
    padded_ = false;
  }
  filters_.push_back({first, static_cast<int>(weights.size()), static_cast<int>(weights_.size())});
  weights_.insert(weights_.end(), weights.begin(), weights.end());
}

void MelBanks::Compute(const float* power_spectrum, float* mel_energies) const {
  if (padded_) {
    ComputePadded(power_spectrum, mel_energies);
    return;
  }
  for (int bin = 0; bin < num_bins(); ++bin) {
    const Filter& filter = filters_[bin];
    const float* w = weights_.data() + filter.offset;
    const float* p = power_spectrum + filter.first_index;
    float sum = 0.0f;  // zero weights of padded filters add exact zeros
    for (int i = 0; i < filter.size; ++i) sum += w[i] * p[i];
    mel_energies[bin] = Floor(sum);
  }
}

// Short dot products (a few to a few dozen FFT bins) with kLanes partial
// sums, so that GCC vectorizes them. The partial sums of a block of filters
// are added up afterwards in one loop, which GCC also vectorizes (across
// filters), instead of a horizontal add per filter.
void MelBanks::ComputePadded(const float* power_spectrum, float* mel_energies) const {
  constexpr int kBlock = 16;  // filters per block
  float partial[kBlock * kLanes];
  for (int begin = 0; begin < num_bins(); begin += kBlock) {
    const int count = std::min(kBlock, num_bins() - begin);
    for (int f = 0; f < count; ++f) {
      const Filter& filter = filters_[begin + f];
      const float* __restrict w = weights_.data() + filter.offset;
      const float* __restrict p = power_spectrum + filter.first_index;
      float acc[kLanes] = {};
      for (int i = 0; i < filter.size; i += kLanes)
        for (int j = 0; j < kLanes; ++j) acc[j] += w[i + j] * p[i + j];
      for (int j = 0; j < kLanes; ++j) partial[f * kLanes + j] = acc[j];
    }
    float* __restrict out = mel_energies + begin;
    for (int f = 0; f < count; ++f) {
      const float* a = partial + f * kLanes;
      out[f] = Floor((a[0] + a[2]) + (a[1] + a[3]));
    }
  }
}

}  // namespace verbatim
