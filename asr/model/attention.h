// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Multi-head scaled dot-product attention. Keys and values can be projected
// once and reused (the decoder's key/value cache), and the attention weights
// can be returned (the guided-attention loss and attention plots use them).
#pragma once

#include <torch/torch.h>

#include "asr/model/dense.h"
#include "asr/model/dropout.h"

namespace verbatim {

class MultiHeadAttentionImpl : public torch::nn::Module {
 public:
  MultiHeadAttentionImpl(int d_model, int num_heads, double dropout);

  // query (N, Tq, D); key, value (N, Tk, D); mask broadcastable to
  // (N, Tq, Tk), bool, true = may attend (undefined: attend everywhere).
  // Returns (N, Tq, D); fills *weights with (N, H, Tq, Tk) when given.
  torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& key,
                        const torch::Tensor& value, const torch::Tensor& mask = {},
                        torch::Tensor* weights = nullptr);

  // Per-head projections of keys / values: (N, T, D) -> (N, H, T, D/H).
  torch::Tensor ProjectKey(const torch::Tensor& x);
  torch::Tensor ProjectValue(const torch::Tensor& x);
  // Attention of `query` (N, Tq, D) over already projected keys and values
  // (N, H, Tk, D/H).
  torch::Tensor Attend(const torch::Tensor& query, const torch::Tensor& keys,
                       const torch::Tensor& values, const torch::Tensor& mask,
                       torch::Tensor* weights = nullptr);
  // The same for one query position per sequence, query (N, 1, D), with
  // no mask (incremental decoding): products as broadcast multiply-and-sum,
  // because CPU batched matrix products of N * H single rows loop over the
  // batch one small product at a time. Equal to Attend up to rounding.
  torch::Tensor AttendOne(const torch::Tensor& query, const torch::Tensor& keys,
                          const torch::Tensor& values);

 private:
  torch::Tensor SplitHeads(const torch::Tensor& x) const;  // (N, T, D) -> (N, H, T, dk)
  int num_heads_;
  int head_dim_;
  Dense q_{nullptr}, k_{nullptr}, v_{nullptr}, out_{nullptr};
  Dropout dropout_{nullptr};
};
TORCH_MODULE(MultiHeadAttention);

}  // namespace verbatim
