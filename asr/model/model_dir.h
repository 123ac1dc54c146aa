// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A model directory: everything `transcribe` and `decode` load.
//   model.yaml   network sizes and the features it expects (ModelConfig)
//   model.pt     weights
//   tokenizer/   tokenizer.model + tokenizer.yaml
//   cmvn.txt     global CMVN statistics (absent: no CMVN)
// Exported as a whole: written to a temporary directory, then renamed into
// place, so a half-written model directory never replaces a good one.
#pragma once

#include <optional>
#include <string>

#include "asr/model/asr_model.h"
#include "asr/model/model_config.h"
#include "asr/text/tokenizer.h"
#include "frontend/cmvn.h"

namespace verbatim {

struct LoadedModel {
  ModelConfig config;
  AsrModel model{nullptr};
  Tokenizer tokenizer;
  std::optional<CmvnStats> cmvn;
};

struct ModelLoadOptions {
  std::string device = "cpu";  // cpu, cuda or cuda:N
  bool int8 = false;           // INT8 linear layers (CPU only; AsrModelImpl::QuantizeInt8)
  Int8Options int8_options;    // which calls run in INT8
  void Validate() const;       // throws Error for INT8 on another device than the CPU
};

// Loads `dir` in evaluation mode. Errors name the file at fault.
LoadedModel LoadModelDir(const std::string& dir, const ModelLoadOptions& opts);
LoadedModel LoadModelDir(const std::string& dir, const std::string& device = "cpu");

// Writes a model directory from a trained network.
void ExportModelDir(const std::string& dir, const ModelConfig& config, AsrModel& model,
                    const std::string& tokenizer_dir, const std::string& cmvn_path);

}  // namespace verbatim
