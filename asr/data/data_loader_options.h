// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// What the training data loader (asr/data/data_loader.h) makes of each
// utterance: features, augmentation, CMVN, and how many threads make them.
// Apart from the loader so that configuration code needs no LibTorch.
#pragma once

#include <cstdint>
#include <optional>

#include "asr/data/wav_scp.h"
#include "base/option_registry.h"
#include "frontend/additive_noise.h"
#include "frontend/cmvn.h"
#include "frontend/fbank.h"
#include "frontend/spec_augment.h"
#include "frontend/speed_perturb.h"
#include "frontend/volume_perturb.h"

namespace verbatim {

struct DataLoaderOptions {
  FbankOptions fbank;  // dither is seeded per utterance (fbank.frame.dither_seed is ignored)
  bool speed_perturb = false;
  SpeedPerturbOptions speed;
  double noise_probability = 0.0;  // share of utterances that get additive noise, 0..1
  AdditiveNoiseOptions noise;
  bool volume_perturb = false;
  VolumePerturbOptions volume;
  bool spec_augment = false;
  SpecAugmentOptions spec;
  std::optional<CmvnStats> cmvn;  // global CMVN applied before SpecAugment (none: raw fbank)
  CmvnOptions cmvn_options;
  WavScpOptions audio;  // pipes, channel; the rate comes from fbank.frame.sample_frequency
  int num_threads = 2;  // worker threads
  int prefetch = 4;     // batches prepared ahead of the consumer
  uint64_t seed = 0;    // of every random choice (the training seed)

  // The augmentation section: speed_perturb, speed_factors, volume_perturb,
  // volume_min_gain, ..., noise_probability, noise_min_snr_db, ...,
  // spec_augment and SpecAugment's own names.
  void RegisterAugmentation(OptionRegistry* registry);
  // Derives the audio and noise sample rates from the features' rate.
  void Resolve();
  // The same features without augmentation or dither (validation, scoring).
  DataLoaderOptions WithoutAugmentation() const;
};

}  // namespace verbatim
