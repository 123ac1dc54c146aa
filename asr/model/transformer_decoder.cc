// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/transformer_decoder.h"

#include "asr/model/layer_norm_fp32.h"
#include "asr/model/transformer_encoder.h"

namespace verbatim {
namespace {

torch::nn::LayerNorm Norm(int d) { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})); }

}  // namespace

void DecoderCache::Select(const torch::Tensor& index) {
  for (auto* list : {&self_keys, &self_values, &cross_keys, &cross_values})
    for (auto& t : *list) t = t.index_select(0, index);
  memory_mask = memory_mask.index_select(0, index);
}

DecoderLayerImpl::DecoderLayerImpl(const ModelOptions& opts) {
  norm_self_ = register_module("norm_self", Norm(opts.d_model));
  norm_cross_ = register_module("norm_cross", Norm(opts.d_model));
  norm_ff_ = register_module("norm_ff", Norm(opts.d_model));
  self_attn_ = register_module(
      "self_attn", MultiHeadAttention(opts.d_model, opts.num_heads, opts.attention_dropout));
  cross_attn_ = register_module(
      "cross_attn", MultiHeadAttention(opts.d_model, opts.num_heads, opts.attention_dropout));
  ff_ = register_module("ff", FeedForward(opts.d_model, opts.ffn_dim, opts.dropout));
  dropout_ = register_module("dropout", torch::nn::Dropout(opts.dropout));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& self_mask,
                                        const torch::Tensor& memory,
                                        const torch::Tensor& memory_mask,
                                        torch::Tensor* cross_weights) {
  auto h = NormFp32(norm_self_, x);
  auto y = x + dropout_->forward(self_attn_->forward(h, h, h, self_mask));
  h = NormFp32(norm_cross_, y);
  y = y + dropout_->forward(cross_attn_->forward(h, memory, memory, memory_mask, cross_weights));
  return y + dropout_->forward(ff_->forward(NormFp32(norm_ff_, y)));
}

torch::Tensor DecoderLayerImpl::Step(const torch::Tensor& x, DecoderCache* cache, size_t layer) {
  auto h = NormFp32(norm_self_, x);
  auto& keys = cache->self_keys[layer];
  auto& values = cache->self_values[layer];
  keys =
      keys.defined() ? torch::cat({keys, self_attn_->ProjectKey(h)}, 2) : self_attn_->ProjectKey(h);
  values = values.defined() ? torch::cat({values, self_attn_->ProjectValue(h)}, 2)
                            : self_attn_->ProjectValue(h);
  // The newest position may attend to every cached one: no mask needed.
  auto y = x + dropout_->forward(self_attn_->Attend(h, keys, values, {}));
  h = NormFp32(norm_cross_, y);
  y = y + dropout_->forward(cross_attn_->Attend(h, cache->cross_keys[layer],
                                                cache->cross_values[layer], cache->memory_mask));
  return y + dropout_->forward(ff_->forward(NormFp32(norm_ff_, y)));
}

TransformerDecoderImpl::TransformerDecoderImpl(const ModelOptions& opts)
    : vocab_size_(opts.vocab_size) {
  embed_ = register_module("embed", torch::nn::Embedding(opts.vocab_size, opts.d_model));
  positions_ = register_module("positions",
                               PositionalEncoding(opts.d_model, opts.max_positions, opts.dropout));
  layers_ = register_module("layers", torch::nn::ModuleList());
  for (int i = 0; i < opts.decoder_layers; ++i) layers_->push_back(DecoderLayer(opts));
  final_norm_ = register_module("final_norm", Norm(opts.d_model));
  if (opts.tie_output_embedding) {
    // The output layer reuses the embedding matrix; only its bias is its own.
    output_bias_ = register_parameter("output_bias", torch::zeros({opts.vocab_size}));
  } else {
    output_ = register_module("output", torch::nn::Linear(opts.d_model, opts.vocab_size));
  }
}

torch::Tensor TransformerDecoderImpl::forward(const torch::Tensor& tokens,
                                              const torch::Tensor& lengths,
                                              const torch::Tensor& memory,
                                              const torch::Tensor& memory_mask,
                                              std::vector<torch::Tensor>* cross_weights) {
  const int64_t l = tokens.size(1);
  // Causal and padding mask: position i sees positions j <= i that are real.
  auto causal =
      torch::ones({l, l}, torch::TensorOptions().dtype(torch::kBool).device(tokens.device()))
          .tril()
          .unsqueeze(0);
  auto self_mask = causal.logical_and(LengthMask(lengths, l));  // (N, L, L)
  auto x = positions_->forward(embed_->forward(tokens));
  if (cross_weights) cross_weights->clear();
  for (const auto& module : *layers_) {
    torch::Tensor w;
    x = module->as<DecoderLayer>()->forward(x, self_mask, memory, memory_mask,
                                            cross_weights ? &w : nullptr);
    if (cross_weights) cross_weights->push_back(w);
  }
  return Output(NormFp32(final_norm_, x));
}

torch::Tensor TransformerDecoderImpl::Output(const torch::Tensor& x) {
  return output_ ? output_->forward(x) : torch::linear(x, embed_->weight, output_bias_);
}

DecoderCache TransformerDecoderImpl::InitCache(const torch::Tensor& memory,
                                               const torch::Tensor& memory_mask) {
  DecoderCache cache;
  cache.memory_mask = memory_mask;
  for (const auto& module : *layers_) {
    auto& cross = module->as<DecoderLayer>()->cross_attention();
    cache.cross_keys.push_back(cross->ProjectKey(memory));
    cache.cross_values.push_back(cross->ProjectValue(memory));
    cache.self_keys.emplace_back();
    cache.self_values.emplace_back();
  }
  return cache;
}

torch::Tensor TransformerDecoderImpl::Step(const torch::Tensor& last_tokens, DecoderCache* cache) {
  auto x = positions_->forward(embed_->forward(last_tokens.unsqueeze(1)), cache->steps);
  size_t layer = 0;
  for (const auto& module : *layers_) x = module->as<DecoderLayer>()->Step(x, cache, layer++);
  ++cache->steps;
  return torch::log_softmax(Output(NormFp32(final_norm_, x)).squeeze(1).to(torch::kFloat32), -1);
}

}  // namespace verbatim
