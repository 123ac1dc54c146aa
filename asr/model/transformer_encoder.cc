// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/transformer_encoder.h"

#include "asr/model/layer_norm_fp32.h"

namespace verbatim {

torch::Tensor LengthMask(const torch::Tensor& lengths, int64_t max_length) {
  auto range = torch::arange(max_length, lengths.options().dtype(torch::kInt64));
  return (range.unsqueeze(0) < lengths.to(torch::kInt64).unsqueeze(1)).unsqueeze(1);
}

EncoderLayerImpl::EncoderLayerImpl(const ModelOptions& opts) {
  norm_attn_ = register_module("norm_attn",
                               torch::nn::LayerNorm(torch::nn::LayerNormOptions({opts.d_model})));
  norm_ff_ =
      register_module("norm_ff", torch::nn::LayerNorm(torch::nn::LayerNormOptions({opts.d_model})));
  attn_ = register_module("attn",
                          MultiHeadAttention(opts.d_model, opts.num_heads, opts.attention_dropout));
  if (opts.conv_kernel > 0)
    conv_ = register_module("conv", ConvModule(opts.d_model, opts.conv_kernel, opts.dropout));
  ff_ = register_module("ff", FeedForward(opts.d_model, opts.ffn_dim, opts.dropout));
  dropout_ = register_module("dropout", Dropout(opts.dropout));
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto h = NormFp32(norm_attn_, x);
  auto y = x + dropout_->forward(attn_->forward(h, h, h, mask));
  if (conv_) y = y + conv_->forward(y, mask);
  return y + dropout_->forward(ff_->forward(NormFp32(norm_ff_, y)));
}

TransformerEncoderImpl::TransformerEncoderImpl(const ModelOptions& opts) {
  subsampling_ = register_module("subsampling", Conv2dSubsampling(opts));
  positions_ = register_module("positions",
                               PositionalEncoding(opts.d_model, opts.max_positions, opts.dropout));
  layers_ = register_module("layers", torch::nn::ModuleList());
  for (int i = 0; i < opts.encoder_layers; ++i) layers_->push_back(EncoderLayer(opts));
  final_norm_ = register_module("final_norm",
                                torch::nn::LayerNorm(torch::nn::LayerNormOptions({opts.d_model})));
}

EncoderOutput TransformerEncoderImpl::forward(const torch::Tensor& feats,
                                              const torch::Tensor& lengths) {
  EncoderOutput out;
  // The residual stream stays float32 (the convolutions may run in bf16).
  auto x = positions_->forward(subsampling_->forward(feats)).to(torch::kFloat32);
  out.lengths = subsampling_->OutputLengths(lengths.to(torch::kInt64)).clamp_max(x.size(1));
  out.mask = LengthMask(out.lengths, x.size(1));
  for (const auto& layer : *layers_) x = layer->as<EncoderLayer>()->forward(x, out.mask);
  out.out = NormFp32(final_norm_, x);
  return out;
}

}  // namespace verbatim
