// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The encoder: conv2d subsampling, sinusoidal positions, N pre-LayerNorm
// Transformer layers (attention, then optionally the Conformer convolution
// block, then feed-forward, each a residual branch), and a final LayerNorm.
#pragma once

#include <torch/torch.h>

#include "asr/model/attention.h"
#include "asr/model/conv2d_subsampling.h"
#include "asr/model/conv_module.h"
#include "asr/model/dropout.h"
#include "asr/model/feed_forward.h"
#include "asr/model/model_options.h"
#include "asr/model/positional_encoding.h"

namespace verbatim {

class EncoderLayerImpl : public torch::nn::Module {
 public:
  explicit EncoderLayerImpl(const ModelOptions& opts);
  // x: (N, T, D); mask: (N, 1, T) bool, true on real frames.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

 private:
  torch::nn::LayerNorm norm_attn_{nullptr}, norm_ff_{nullptr};
  MultiHeadAttention attn_{nullptr};
  ConvModule conv_{nullptr};  // only with ModelOptions::conv_kernel > 0
  FeedForward ff_{nullptr};
  Dropout dropout_{nullptr};
};
TORCH_MODULE(EncoderLayer);

struct EncoderOutput {
  torch::Tensor out;      // (N, T', D)
  torch::Tensor lengths;  // (N) int64, frames after subsampling
  torch::Tensor mask;     // (N, 1, T') bool, true on real frames
};

class TransformerEncoderImpl : public torch::nn::Module {
 public:
  explicit TransformerEncoderImpl(const ModelOptions& opts);
  // feats: (N, T, input_dim); lengths: (N) int64 frames.
  EncoderOutput forward(const torch::Tensor& feats, const torch::Tensor& lengths);
  const Conv2dSubsampling& subsampling() const { return subsampling_; }

 private:
  Conv2dSubsampling subsampling_{nullptr};
  PositionalEncoding positions_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  torch::nn::LayerNorm final_norm_{nullptr};
};
TORCH_MODULE(TransformerEncoder);

// (N, 1, T) bool mask, true where index < length.
torch::Tensor LengthMask(const torch::Tensor& lengths, int64_t max_length);

}  // namespace verbatim
