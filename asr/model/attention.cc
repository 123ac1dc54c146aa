// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/attention.h"

#include <cmath>

#include "asr/model/batched_matmul.h"
#include "base/error.h"

namespace verbatim {

MultiHeadAttentionImpl::MultiHeadAttentionImpl(int d_model, int num_heads, double dropout)
    : num_heads_(num_heads), head_dim_(d_model / num_heads) {
  Check(num_heads > 0 && d_model % num_heads == 0, "d_model " + std::to_string(d_model) +
                                                       " is not divisible by " +
                                                       std::to_string(num_heads) + " heads");
  q_ = register_module("q", Dense(d_model, d_model));
  k_ = register_module("k", Dense(d_model, d_model));
  v_ = register_module("v", Dense(d_model, d_model));
  out_ = register_module("out", Dense(d_model, d_model));
  dropout_ = register_module("dropout", Dropout(dropout));
}

torch::Tensor MultiHeadAttentionImpl::SplitHeads(const torch::Tensor& x) const {
  return x.view({x.size(0), x.size(1), num_heads_, head_dim_}).transpose(1, 2);
}

torch::Tensor MultiHeadAttentionImpl::ProjectKey(const torch::Tensor& x) {
  return SplitHeads(k_->forward(x));
}

torch::Tensor MultiHeadAttentionImpl::ProjectValue(const torch::Tensor& x) {
  return SplitHeads(v_->forward(x));
}

torch::Tensor MultiHeadAttentionImpl::forward(const torch::Tensor& query, const torch::Tensor& key,
                                              const torch::Tensor& value, const torch::Tensor& mask,
                                              torch::Tensor* weights) {
  return Attend(query, ProjectKey(key), ProjectValue(value), mask, weights);
}

torch::Tensor MultiHeadAttentionImpl::Attend(const torch::Tensor& query, const torch::Tensor& keys,
                                             const torch::Tensor& values, const torch::Tensor& mask,
                                             torch::Tensor* weights) {
  const auto q = SplitHeads(q_->forward(query));  // (N, H, Tq, dk)
  auto scores = BatchedMatmul(q, keys.transpose(-2, -1), 1.0 / std::sqrt(double(head_dim_)));
  torch::Tensor attn;
  if (mask.defined()) {
    const auto masked = mask.unsqueeze(1).logical_not();  // (N, 1, Tq|1, Tk)
    // A fully masked row (a padded query) would be NaN after softmax: its
    // scores are all the lowest value, and its weights are zeroed afterwards.
    // In place: nothing keeps the product for backward.
    scores.masked_fill_(masked, -1e9);
    attn = torch::softmax(scores, -1).masked_fill(masked, 0.0);
  } else {
    attn = torch::softmax(scores, -1);
  }
  if (weights != nullptr) *weights = attn;
  // (N, H, Tq, dk), stored as (N, Tq, H, dk): the transpose below is free.
  auto context = BatchedMatmul(dropout_->forward(attn), values, 1.0, /*heads_last=*/true);
  context = context.transpose(1, 2).contiguous().view(
      {query.size(0), query.size(1), num_heads_ * head_dim_});
  return out_->forward(context);
}

torch::Tensor MultiHeadAttentionImpl::AttendOne(const torch::Tensor& query,
                                                const torch::Tensor& keys,
                                                const torch::Tensor& values) {
  const auto q = SplitHeads(q_->forward(query));  // (N, H, 1, dk)
  const auto scores = (q * keys).sum(-1, /*keepdim=*/true) / std::sqrt(double(head_dim_));
  const auto attn = torch::softmax(scores, -2);               // (N, H, Tk, 1)
  auto context = (dropout_->forward(attn) * values).sum(-2);  // (N, H, dk)
  return out_->forward(context.reshape({query.size(0), 1, num_heads_ * head_dim_}));
}

}  // namespace verbatim
