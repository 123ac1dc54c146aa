// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The configuration of a training run, as YAML. Precedence: the defaults of
// each Options struct < the YAML file < command-line flags (applied by
// tools/). Every key is optional in the file; unknown keys are errors
// (typos must not pass silently). Each section is read through its options'
// Register(), the same description that names the command-line flags:
//
//   model:              ModelOptions (input_dim and vocab_size come from the data)
//   features:           FbankOptions, Kaldi's names (num_mel_bins, frame_shift, ...)
//   cmvn:               norm_means, norm_vars
//   augmentation:       speed, volume, noise and SpecAugment
//   batching:           BatchSamplerOptions
//   training:           TrainerOptions, plus num_workers and prefetch (data loading)
//   guided_attention, scheduled_sampling
//   init:               ModelInitOptions (the first weights: a model directory)
//
// Resolve() then derives, in one place, every setting that follows from
// others; the resolved configuration (every key) is written next to the
// outputs of every run.
#pragma once

#include <string>

#include "asr/data/batch_sampler.h"
#include "asr/data/data_loader_options.h"
#include "asr/model/model_config.h"
#include "asr/model/model_options.h"
#include "asr/train/model_init_options.h"
#include "asr/train/trainer_options.h"

namespace verbatim {

struct TrainConfig {
  ModelOptions model;
  DataLoaderOptions data;  // features (data.fbank), augmentation, CMVN options, workers
  BatchSamplerOptions batching;
  TrainerOptions trainer;
  ModelInitOptions init;

  // Derives what depends on other settings: the model's input dimension
  // (features) and vocabulary (`vocab_size`, from the tokenizer); the
  // batching's frame shift and length (features) and seed (training); the
  // data loader's seed (training) and its audio and noise sample rates
  // (features). Then validates the model and trainer options.
  void Resolve(int vocab_size);

  // Validation data: the same features, without augmentation or dither, in
  // a fixed order.
  DataLoaderOptions DevData() const { return data.WithoutAugmentation(); }
  BatchSamplerOptions DevBatching() const;

  // What the model directory of this run records.
  ModelConfig ToModelConfig() const { return ModelConfig{model, data.fbank, data.cmvn_options}; }
};

// Reads `path` over the values of `base`.
TrainConfig ReadTrainConfig(const std::string& path, const TrainConfig& base = {});
// Reads only the features section of a training configuration over `base`
// (e.g. `verbatim compute-cmvn --config conf/train.yaml`); the other sections
// are not checked.
FbankOptions ReadFeaturesConfig(const std::string& path, const FbankOptions& base = {});
std::string TrainConfigToYaml(const TrainConfig& config);
void WriteTrainConfig(const std::string& path, const TrainConfig& config);

}  // namespace verbatim
