// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The model's linear layer: y = x W^T + b, with the parameters, names
// ("weight" (out, in), "bias" (out)) and initialization of torch::nn::Linear,
// so checkpoints and training are unchanged, plus an INT8 mode for CPU
// inference (see int8_linear.h).
#pragma once

#include <torch/torch.h>

#include "asr/model/int8_linear.h"

namespace verbatim {

class DenseImpl : public torch::nn::Module {
 public:
  DenseImpl(int64_t in_features, int64_t out_features);

  // x (..., in) -> (..., out). Float32 mode: torch::linear (autocast applies);
  // INT8 mode: float32 output, CPU only, evaluation mode only.
  torch::Tensor forward(const torch::Tensor& x);

  // Switches to INT8 compute with the current weights (on the CPU).
  // Parameters stay as they are (saving still writes float32 weights), but
  // later changes of them are not seen until QuantizeInt8 is called again.
  void QuantizeInt8(const Int8Options& opts = {});
  bool int8() const { return int8_.defined(); }

  torch::Tensor weight, bias;

 private:
  Int8Linear int8_;
};
TORCH_MODULE(Dense);

}  // namespace verbatim
