// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Model weights in LibTorch archives: model.pt of a model directory, and the
// model part of a training checkpoint (asr/train/checkpoint.h). The weights
// carry an FNV-1a checksum over every tensor's name and bytes: LibTorch's
// zip reader does not check the zip CRCs, so without it a flipped bit would
// load silently. Files written without it load unchecked. Archives are
// written atomically (temporary file, then rename).
#pragma once

#include <torch/nn/module.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace verbatim {

// Writes every parameter and buffer of `model` (as CPU tensors, keys
// "model.NAME") and their checksum into `archive`.
void WriteModelTensors(torch::serialize::OutputArchive& archive, torch::nn::Module& model);
// Reads what WriteModelTensors wrote into `model`. Every tensor is checked
// (presence, shape, checksum) before the model changes: a damaged file
// leaves it as it was. `path` names the file in errors.
void ReadModelTensors(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                      const std::string& path);

// `archive` to `path`, atomically; a failed write (full disk) is an Error
// naming the file, and the old file stays.
void SaveArchive(torch::serialize::OutputArchive& archive, const std::string& path);
// Loads `path` into `archive`; Error naming the file when it is missing or
// not a readable archive.
void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path);

// A file with the model's weights only (model.pt).
void SaveModelWeights(const std::string& path, torch::nn::Module& model);
void LoadModelWeights(const std::string& path, torch::nn::Module& model);

}  // namespace verbatim
