// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Training checkpoints: model, optimizer, RNG state, data position (epoch and
// batch), optimizer step count and the resolved config, in one LibTorch
// archive, written atomically (temp file + fsync + rename): a crash while
// saving never replaces a good checkpoint with a broken one.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace verbatim {

struct CheckpointState {
  int64_t epoch = 0;        // epoch to continue with
  int64_t batch = 0;        // first batch of that epoch still to train on
  int64_t step = 0;         // optimizer steps done
  std::string config;       // resolved configuration (YAML text)
  double valid_loss = 0.0;  // validation loss of the epoch just finished (0 if none)
};

// Writes `path` atomically.
void SaveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer& optimizer, const CheckpointState& state);

// Restores model, optimizer and the default CPU generator; returns the state.
// Throws Error("path: ...") for a missing, corrupt or mismatched checkpoint.
CheckpointState LoadCheckpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer);

// Sets the weights of `model` to the element-wise mean of the model weights of
// `paths` (checkpoints or weight files), as ESPnet's and WeNet's averaging.
void AverageCheckpoints(const std::vector<std::string>& paths, torch::nn::Module& model);

}  // namespace verbatim
