// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/fbank.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "frontend/error.h"
#include "frontend/vector_log.h"

namespace verbatim {

Fbank::Fbank(const FbankOptions& opts)
    : opts_(opts),
      window_(opts.frame),
      mel_banks_(opts.mel, opts.frame.sample_frequency, opts.frame.PaddedWindowSize()),
      fft_(opts.frame.PaddedWindowSize()),
      frame_buf_(opts.frame.PaddedWindowSize()),
      power_buf_(opts.frame.PaddedWindowSize() / 2 + 1) {
  Check(opts.energy_floor >= 0.0f, "energy floor must not be negative");
  if (opts.energy_floor > 0.0f) log_energy_floor_ = std::log(opts.energy_floor);
}

FeatureMatrix Fbank::Compute(const std::vector<float>& samples) {
  return Compute(samples.data(), static_cast<int64_t>(samples.size()));
}

FeatureMatrix Fbank::Compute(const float* samples, int64_t num_samples) {
  const int64_t num_frames = NumFrames(num_samples, opts_.frame, /*flush=*/true);
  FeatureMatrix feats(static_cast<int>(num_frames), Dim());
  Random dither_rng(opts_.frame.dither_seed);
  for (int64_t f = 0; f < num_frames; ++f)
    ComputeFrame(samples, num_samples, 0, f, &dither_rng, feats.Row(static_cast<int>(f)));
  return feats;
}

void Fbank::ComputeFrame(const float* wave, int64_t num_samples, int64_t sample_offset,
                         int64_t frame, Random* dither_rng, float* out) {
  constexpr float kEpsilon = std::numeric_limits<float>::epsilon();
  const bool need_raw = opts_.use_energy && opts_.raw_energy;
  float log_energy = 0.0f;
  window_.ExtractFrame(wave, num_samples, sample_offset, frame, dither_rng, frame_buf_.data(),
                       need_raw ? &log_energy : nullptr);
  if (opts_.use_energy && !opts_.raw_energy) {
    float energy = 0.0f;
    const int length = opts_.frame.WindowSize();
    for (int i = 0; i < length; ++i) energy += frame_buf_[i] * frame_buf_[i];
    log_energy = std::log(std::max(energy, kEpsilon));
  }

  fft_.PowerSpectrum(frame_buf_.data(), power_buf_.data());
  if (!opts_.use_power) {
    for (float& p : power_buf_) p = std::sqrt(p);
  }
  const int mel_offset = (opts_.use_energy && !opts_.htk_compat) ? 1 : 0;
  float* mel = out + mel_offset;
  mel_banks_.Compute(power_buf_.data(), mel);
  if (opts_.use_log_fbank) FlooredLogInPlace(mel, opts_.mel.num_bins, kEpsilon);
  if (opts_.use_energy) {
    if (opts_.energy_floor > 0.0f && log_energy < log_energy_floor_) log_energy = log_energy_floor_;
    out[opts_.htk_compat ? opts_.mel.num_bins : 0] = log_energy;
  }
}

}  // namespace verbatim
