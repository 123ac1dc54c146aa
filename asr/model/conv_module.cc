// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/conv_module.h"

#include "asr/model/layer_norm_fp32.h"
#include "base/error.h"

namespace verbatim {

ConvModuleImpl::ConvModuleImpl(int d_model, int kernel, double dropout) {
  Check(kernel > 0 && kernel % 2 == 1,
        "model: conv_kernel must be odd (centred on the frame), got " + std::to_string(kernel));
  norm_in_ =
      register_module("norm_in", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
  pointwise_in_ = register_module("pointwise_in", Dense(d_model, 2 * d_model));
  depthwise_ = register_module(
      "depthwise",
      torch::nn::Conv1d(
          torch::nn::Conv1dOptions(d_model, d_model, kernel).padding(kernel / 2).groups(d_model)));
  norm_conv_ =
      register_module("norm_conv", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
  pointwise_out_ = register_module("pointwise_out", Dense(d_model, d_model));
  dropout_ = register_module("dropout", Dropout(dropout));
}

torch::Tensor ConvModuleImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto h = torch::glu(pointwise_in_->forward(NormFp32(norm_in_, x)), /*dim=*/-1);  // (N, T, D)
  h = h.masked_fill(mask.transpose(1, 2).logical_not(), 0.0);
  h = depthwise_->forward(h.transpose(1, 2)).transpose(1, 2);  // over time, per channel
  h = torch::silu(NormFp32(norm_conv_, h));
  return dropout_->forward(pointwise_out_->forward(h));
}

}  // namespace verbatim
