// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Sinusoidal positions (Vaswani et al.): x * sqrt(D) + PE[offset : offset + T],
// then dropout, as ESPnet's PositionalEncoding.
#pragma once

#include <torch/torch.h>

#include "asr/model/dropout.h"

namespace verbatim {

class PositionalEncodingImpl : public torch::nn::Module {
 public:
  PositionalEncodingImpl(int d_model, int max_positions, double dropout);
  // x: (N, T, D); `offset` is the position of x[:, 0] (incremental decoding).
  torch::Tensor forward(const torch::Tensor& x, int64_t offset = 0);

 private:
  double scale_;
  torch::Tensor pe_;  // (max_positions, D), a buffer
  Dropout dropout_{nullptr};
};
TORCH_MODULE(PositionalEncoding);

}  // namespace verbatim
