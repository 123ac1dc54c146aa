// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/fbank.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "frontend/vector_log.h"

namespace verbatim {

void FbankOptions::Register(OptionRegistry* r) {
  frame.Register(r);
  mel.Register(r);
  r->Register("use_energy", &use_energy,
              "add the log energy as a feature (first, or last with htk_compat)");
  r->Register("energy_floor", &energy_floor, "floor on the energy, linear (0 = none)");
  r->Register("raw_energy", &raw_energy, "energy before pre-emphasis and windowing");
  r->Register("htk_compat", &htk_compat, "energy last, as HTK");
  r->Register("use_log_fbank", &use_log_fbank, "log of the mel energies (false: linear)");
  r->Register("use_power", &use_power, "power spectrum (false: magnitude)");
}

Fbank::Fbank(const FbankOptions& opts)
    : opts_(opts),
      window_(opts.frame),
      mel_banks_(opts.mel, opts.frame.sample_frequency, opts.frame.PaddedWindowSize()),
      fft_(opts.frame.PaddedWindowSize()) {
  Check(opts.energy_floor >= 0.0f, "energy floor must not be negative");
  if (opts.energy_floor > 0.0f) log_energy_floor_ = std::log(opts.energy_floor);
}

Fbank::Scratch Fbank::MakeScratch() const {
  const int padded = opts_.frame.PaddedWindowSize();
  return Scratch{std::vector<float>(padded), std::vector<float>(padded / 2 + 1),
                 fft_.MakeScratch()};
}

FeatureMatrix Fbank::Compute(const std::vector<float>& samples) const {
  return Compute(samples.data(), static_cast<int64_t>(samples.size()));
}

FeatureMatrix Fbank::Compute(const float* samples, int64_t num_samples) const {
  return Compute(samples, num_samples, opts_.frame.dither_seed);
}

FeatureMatrix Fbank::Compute(const float* samples, int64_t num_samples,
                             uint64_t dither_seed) const {
  const int64_t num_frames = NumFrames(num_samples, opts_.frame, /*flush=*/true);
  FeatureMatrix feats(static_cast<int>(num_frames), Dim());
  Random dither_rng(dither_seed);
  Scratch scratch = MakeScratch();
  for (int64_t f = 0; f < num_frames; ++f)
    ComputeFrame(samples, num_samples, 0, f, &dither_rng, &scratch, feats.Row(static_cast<int>(f)));
  return feats;
}

void Fbank::ComputeFrame(const float* wave, int64_t num_samples, int64_t sample_offset,
                         int64_t frame, Random* dither_rng, Scratch* scratch, float* out) const {
  std::vector<float>& frame_buf = scratch->frame;
  constexpr float kEpsilon = std::numeric_limits<float>::epsilon();
  const bool need_raw = opts_.use_energy && opts_.raw_energy;
  float log_energy = 0.0f;
  window_.ExtractFrame(wave, num_samples, sample_offset, frame, dither_rng, frame_buf.data(),
                       need_raw ? &log_energy : nullptr);
  if (opts_.use_energy && !opts_.raw_energy) {
    float energy = 0.0f;
    const int length = opts_.frame.WindowSize();
    for (int i = 0; i < length; ++i) energy += frame_buf[i] * frame_buf[i];
    log_energy = std::log(std::max(energy, kEpsilon));
  }

  std::vector<float>& power = scratch->power;
  fft_.PowerSpectrum(frame_buf.data(), power.data(), &scratch->fft);
  if (!opts_.use_power) {
    for (float& p : power) p = std::sqrt(p);
  }
  const int mel_offset = (opts_.use_energy && !opts_.htk_compat) ? 1 : 0;
  float* mel = out + mel_offset;
  mel_banks_.Compute(power.data(), mel);
  if (opts_.use_log_fbank) FlooredLogInPlace(mel, opts_.mel.num_bins, kEpsilon);
  if (opts_.use_energy) {
    if (opts_.energy_floor > 0.0f && log_energy < log_energy_floor_) log_energy = log_energy_floor_;
    out[opts_.htk_compat ? opts_.mel.num_bins : 0] = log_energy;
  }
}

}  // namespace verbatim
