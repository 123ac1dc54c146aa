// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The Conformer convolution block (Gulati et al. 2020), optional in each
// encoder layer (ModelOptions::conv_kernel > 0): LayerNorm -> pointwise
// Linear(D, 2D) -> GLU -> depthwise Conv1d over time (kernel K frames after
// subsampling) -> LayerNorm -> SiLU -> pointwise Linear(D, D) -> dropout.
// Why: attention alone learns local acoustic patterns slowly; a depthwise
// convolution gives every frame its neighbourhood from the first step, which
// is what small, briefly trained models lack. LayerNorm instead of the
// paper's BatchNorm (as WeNet allows): no batch statistics, so padding and
// batch composition cannot change a frame's result.
#pragma once

#include <torch/torch.h>

#include "asr/model/dense.h"
#include "asr/model/dropout.h"

namespace verbatim {

class ConvModuleImpl : public torch::nn::Module {
 public:
  ConvModuleImpl(int d_model, int kernel, double dropout);
  // x: (N, T, D); mask: (N, 1, T) bool, true on real frames. Returns the
  // block's output (N, T, D), without the residual. Padded frames are zeroed
  // before the convolution so they never reach real ones.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

 private:
  torch::nn::LayerNorm norm_in_{nullptr}, norm_conv_{nullptr};
  Dense pointwise_in_{nullptr}, pointwise_out_{nullptr};
  torch::nn::Conv1d depthwise_{nullptr};
  Dropout dropout_{nullptr};
};
TORCH_MODULE(ConvModule);

}  // namespace verbatim
