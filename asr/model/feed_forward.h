// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Position-wise feed-forward block: Linear(D, F) -> ReLU -> dropout -> Linear(F, D).
#pragma once

#include <torch/torch.h>

#include "asr/model/dense.h"
#include "asr/model/dropout.h"

namespace verbatim {

class FeedForwardImpl : public torch::nn::Module {
 public:
  FeedForwardImpl(int d_model, int ffn_dim, double dropout)
      : in_(register_module("in", Dense(d_model, ffn_dim))),
        out_(register_module("out", Dense(ffn_dim, d_model))),
        dropout_(register_module("dropout", Dropout(dropout))) {}
  // x: (N, T, D) -> (N, T, D)
  torch::Tensor forward(const torch::Tensor& x) {
    return out_->forward(dropout_->forward(torch::relu(in_->forward(x))));
  }

 private:
  Dense in_, out_;
  Dropout dropout_;
};
TORCH_MODULE(FeedForward);

}  // namespace verbatim
