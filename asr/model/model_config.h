// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// model.yaml of a model directory: what rebuilds the network and its inputs.
//   format_version: 2
//   model:     ModelOptions (asr/model/model_options.h)
//   features:  FbankOptions, Kaldi's names (frontend/fbank.h)
//   cmvn:      CmvnOptions
// Verbatim writes every key, so every key is required when reading: a
// missing one means a damaged file, and a default would rebuild another
// network or other features. Version 1 files (frame_length_ms and
// frame_shift_ms for today's frame_length and frame_shift) still load.
#pragma once

#include <string>

#include "asr/model/model_options.h"
#include "frontend/cmvn.h"
#include "frontend/fbank.h"

namespace verbatim {

struct ModelConfig {
  ModelOptions model;
  FbankOptions fbank;
  CmvnOptions cmvn;
};

// Writes `path` atomically; errors name the file.
void WriteModelConfig(const std::string& path, const ModelConfig& config);
// Errors name the file and the key.
ModelConfig ReadModelConfig(const std::string& path);

}  // namespace verbatim
