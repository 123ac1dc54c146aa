// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The configuration of a training run and of a model directory, as YAML.
// Precedence: the defaults of each Options struct < the YAML file < command
// line flags (applied by tools/). Every key is optional in the file; unknown
// keys are errors (typos must not pass silently). The resolved configuration
// (every key) is written next to the outputs of every run.
//
//   model:      ModelOptions (input_dim and vocab_size come from the data)
//   features:   fbank options (Kaldi names, snake_case)
//   cmvn:       norm_means, norm_vars
//   augmentation, batching, training, guided_attention, scheduled_sampling
#pragma once

#include <string>

#include "asr/data/batch_sampler.h"
#include "asr/data/data_loader.h"
#include "asr/model/model_options.h"
#include "asr/train/trainer.h"

namespace verbatim {

struct TrainConfig {
  ModelOptions model;
  DataLoaderOptions data;  // features (data.fbank), augmentation, CMVN options, workers
  BatchSamplerOptions batching;
  TrainerOptions trainer;
};

// Reads `path` over the defaults of `base`.
TrainConfig ReadTrainConfig(const std::string& path, const TrainConfig& base = {});
std::string TrainConfigToYaml(const TrainConfig& config);
void WriteTrainConfig(const std::string& path, const TrainConfig& config);

// What a model directory needs to rebuild the network and its inputs.
struct ModelConfig {
  ModelOptions model;
  FbankOptions fbank;
  CmvnOptions cmvn;
};
void WriteModelConfig(const std::string& path, const ModelConfig& config);
ModelConfig ReadModelConfig(const std::string& path);

}  // namespace verbatim
