// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// LayerNorm in float32 whatever the input's type: under CPU bf16 autocast
// (LibTorch 1.13) layer_norm is not cast, and a bf16 input against float32
// weights fails; normalizing in float32 is also the accurate choice. The
// residual stream stays float32; the matrix products run in bf16.
#pragma once

#include <torch/torch.h>

namespace verbatim {

// x: (..., D) any floating type -> (..., D) float32.
inline torch::Tensor NormFp32(torch::nn::LayerNorm& norm, const torch::Tensor& x) {
  return norm->forward(x.to(torch::kFloat32));
}

}  // namespace verbatim
