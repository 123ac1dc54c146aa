// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/transformer_decoder.h"

#include <algorithm>

#include "asr/model/amx_safe_products.h"
#include "asr/model/layer_norm_fp32.h"
#include "asr/model/transformer_encoder.h"
#include "base/error.h"

namespace verbatim {
namespace {

torch::nn::LayerNorm Norm(int d) { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})); }

}  // namespace

void DecoderCache::Select(const torch::Tensor& index) {
  for (auto* list : {&self_keys, &self_values})
    for (auto& t : *list) t = t.index_select(0, index);
  row_utt = row_utt.index_select(0, index.to(torch::kCPU));
  UpdateGroups();
}

void DecoderCache::UpdateGroups() {
  const int64_t rows = row_utt.size(0), utts = memory_mask.size(0);
  const auto utt = row_utt.contiguous();
  const int64_t* u = utt.data_ptr<int64_t>();
  bool identity = rows == utts;
  for (int64_t b = 0; identity && b < rows; ++b) identity = u[b] == b;
  if (identity) {
    slot = torch::Tensor();
    group = 1;
    return;
  }
  std::vector<int64_t> count(utts, 0), slots(rows);
  for (int64_t b = 0; b < rows; ++b) slots[b] = count[u[b]]++;
  group = std::max<int64_t>(1, *std::max_element(count.begin(), count.end()));
  for (int64_t b = 0; b < rows; ++b) slots[b] += u[b] * group;
  slot = torch::tensor(slots, torch::kInt64).to(memory_mask.device());
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
  dropout_ = register_module("dropout", Dropout(opts.dropout));
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
  auto y = x + dropout_->forward(self_attn_->AttendOne(h, keys, values));
  h = NormFp32(norm_cross_, y);
  y = y + dropout_->forward(CrossAttend(h, *cache, layer));
  return y + dropout_->forward(ff_->forward(NormFp32(norm_ff_, y)));
}

torch::Tensor DecoderLayerImpl::CrossAttend(const torch::Tensor& h, const DecoderCache& cache,
                                            size_t layer) {
  const auto& keys = cache.cross_keys[layer];
  const auto& values = cache.cross_values[layer];
  if (!cache.slot.defined()) return cross_attn_->Attend(h, keys, values, cache.memory_mask);
  // Each row is a query position of its utterance: (B, 1, D) -> (N, G, D).
  const int64_t utts = keys.size(0), rows = h.size(0), d = h.size(2);
  const auto flat = h.reshape({rows, d});
  if (utts == 1)  // rows in order: a view, no copy
    return cross_attn_->Attend(flat.unsqueeze(0), keys, values, cache.memory_mask)
        .view({rows, 1, d});
  const auto grouped = torch::zeros({utts * cache.group, d}, h.options())
                           .index_copy_(0, cache.slot, flat)
                           .view({utts, cache.group, d});
  const auto out = cross_attn_->Attend(grouped, keys, values, cache.memory_mask);
  return out.reshape({utts * cache.group, d}).index_select(0, cache.slot).view({rows, 1, d});
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
    output_ = register_module("output", Dense(opts.d_model, opts.vocab_size));
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
  if (output_) return output_->forward(x);
  if (!tied_int8_.defined()) return AmxSafeLinear(x, embed_->weight, output_bias_);
  Check(!is_training(), "INT8 layers are for inference: the model is in training mode");
  return tied_int8_.forward(x);
}

void TransformerDecoderImpl::QuantizeTiedOutputInt8(const Int8Options& opts) {
  if (!output_) tied_int8_ = Int8Linear(embed_->weight, output_bias_, opts);
}

DecoderCache TransformerDecoderImpl::InitCache(const torch::Tensor& memory,
                                               const torch::Tensor& memory_mask) {
  DecoderCache cache;
  cache.memory_mask = memory_mask;
  cache.row_utt = torch::arange(memory.size(0), torch::kInt64);
  cache.UpdateGroups();
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
