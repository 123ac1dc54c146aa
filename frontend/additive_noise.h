// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Additive noise at a random signal-to-noise ratio: noise cut from a random
// file of a list (at a random offset, looped when the file is shorter than
// the signal), or generated (white or pink Gaussian noise), scaled so that
// 10 log10(signal power / noise power) is the drawn SNR, then added.
// Powers are mean squares over the whole signal and the whole noise segment.
// Noise files are not kept in memory (a noise corpus can be hours long): each
// call reads only the segment it needs. Apply() is const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/option_registry.h"
#include "base/random.h"
#include "frontend/audio_reader.h"

namespace verbatim {

struct AdditiveNoiseOptions {
  // The SNR is uniform in [min_snr_db, max_snr_db]; Kaldi's MUSAN noise recipe
  // uses 0, 5, 10 and 15 dB.
  double min_snr_db = 0.0;   // dB
  double max_snr_db = 15.0;  // dB
  // Noise recordings (any format ReadAudio reads), one chosen uniformly per
  // call. Empty: generated noise instead.
  std::vector<std::string> noise_files;
  enum class NoiseType { kWhite, kPink };
  NoiseType generated_noise = NoiseType::kWhite;  // used when noise_files is empty
  int sample_rate_hz = 16000;  // Hz, rate of the signals; noise files are resampled to it

  // min_snr_db, max_snr_db, files, generated (sample_rate_hz is the
  // features' rate, not a setting of its own).
  void Register(OptionRegistry* registry);
};

// What one Apply() did.
struct AdditiveNoiseRecord {
  double snr_db = 0.0;       // dB, the drawn SNR
  std::string source;        // the noise file, or "white" / "pink"
  int64_t offset = 0;        // samples (at sample_rate_hz) into the file where the noise starts
  double noise_scale = 0.0;  // factor the noise was multiplied by; 0 when the signal or the
                             // noise was silent (then nothing was added)
};

class AdditiveNoise {
 public:
  // Checks the options and that every noise file can be opened (reading only
  // its header), so that a wrong path fails at once: throws Error naming it.
  explicit AdditiveNoise(const AdditiveNoiseOptions& opts = {});

  const AdditiveNoiseOptions& options() const { return opts_; }

  // Adds noise to `samples` (mono, at options().sample_rate_hz) in place.
  AdditiveNoiseRecord Apply(std::vector<float>* samples, Random* rng) const;

  // Adds `noise` (at least samples->size() values) to `samples`, scaled so
  // that the SNR is `snr_db`; returns the scale (0 when either is silent).
  static double AddAtSnr(const std::vector<float>& noise, double snr_db,
                         std::vector<float>* samples);

 private:
  std::vector<float> ReadNoise(size_t file_index, size_t n, Random* rng,
                               AdditiveNoiseRecord* record) const;

  AdditiveNoiseOptions opts_;
  std::vector<int64_t> file_lengths_;  // samples at opts_.sample_rate_hz, one per noise file
};

// `n` samples of white Gaussian noise with unit variance.
std::vector<float> WhiteNoise(size_t n, Random* rng);
// `n` samples of pink (1/f power, -3 dB per octave) Gaussian noise, about
// unit variance.
std::vector<float> PinkNoise(size_t n, Random* rng);

}  // namespace verbatim
