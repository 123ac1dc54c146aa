// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The attention decoder: token embedding, sinusoidal positions, N
// pre-LayerNorm layers (masked self-attention, cross-attention over the
// encoder output, feed-forward), final LayerNorm and output layer
// (optionally tied to the embedding). Incremental decoding keeps a key/value
// cache, so one step costs O(current length), not O(length^2).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/model/attention.h"
#include "asr/model/dropout.h"
#include "asr/model/feed_forward.h"
#include "asr/model/int8_linear.h"
#include "asr/model/model_options.h"
#include "asr/model/positional_encoding.h"

namespace verbatim {

// Key/value cache of the hypotheses being decoded: B rows (hypotheses of N
// utterances); select rows with Select() when beams reorder. The
// cross-attention keys and values stay per utterance: each step groups the
// rows' queries by utterance (as the query positions of one attention call),
// so reordering never copies them.
struct DecoderCache {
  std::vector<torch::Tensor> self_keys, self_values;    // per layer (B, H, t, dk)
  std::vector<torch::Tensor> cross_keys, cross_values;  // per layer (N, H, T', dk)
  torch::Tensor memory_mask;                            // (N, 1, T') bool
  int64_t steps = 0;                                    // tokens consumed so far

  // Keeps rows `index` (B') of the self-attention keys and values and of
  // row_utt, in that order (the per-utterance tensors stay as they are).
  void Select(const torch::Tensor& index);

  // Cross-attention query slots: row b sits at slot[b] of the (N, group)
  // grouped queries; slot is undefined when the rows are exactly the
  // utterances in order (no grouping needed).
  torch::Tensor row_utt;  // (B) int64 on the CPU: utterance of each row
  torch::Tensor slot;     // (B) int64 on the device of the keys
  int64_t group = 1;      // grouped queries per utterance
  void UpdateGroups();    // recomputes slot and group from row_utt
};

class DecoderLayerImpl : public torch::nn::Module {
 public:
  explicit DecoderLayerImpl(const ModelOptions& opts);
  // x: (N, L, D); self_mask (N, L, L); memory (N, T', D); memory_mask (N, 1, T').
  // Fills *cross_weights (N, H, L, T') when given.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& self_mask,
                        const torch::Tensor& memory, const torch::Tensor& memory_mask,
                        torch::Tensor* cross_weights = nullptr);
  // One position x: (B, 1, D) against the cache of layer `layer`.
  torch::Tensor Step(const torch::Tensor& x, DecoderCache* cache, size_t layer);
  MultiHeadAttention& cross_attention() { return cross_attn_; }

 private:
  // Cross-attention of the rows' queries h (B, 1, D) over their utterances.
  torch::Tensor CrossAttend(const torch::Tensor& h, const DecoderCache& cache, size_t layer);

  torch::nn::LayerNorm norm_self_{nullptr}, norm_cross_{nullptr}, norm_ff_{nullptr};
  MultiHeadAttention self_attn_{nullptr}, cross_attn_{nullptr};
  FeedForward ff_{nullptr};
  Dropout dropout_{nullptr};
};
TORCH_MODULE(DecoderLayer);

class TransformerDecoderImpl : public torch::nn::Module {
 public:
  explicit TransformerDecoderImpl(const ModelOptions& opts);

  // Teacher forcing. tokens: (N, L) int64 (<sos> first, padding any valid
  // id); lengths: (N). Returns logits (N, L, V); fills *cross_weights with
  // one (N, H, L, T') tensor per layer when given.
  torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& lengths,
                        const torch::Tensor& memory, const torch::Tensor& memory_mask,
                        std::vector<torch::Tensor>* cross_weights = nullptr);

  // Starts incremental decoding over `memory` (B, T', D).
  DecoderCache InitCache(const torch::Tensor& memory, const torch::Tensor& memory_mask);
  // Consumes the last token of each hypothesis (B) and returns log
  // probabilities of the next token (B, V).
  torch::Tensor Step(const torch::Tensor& last_tokens, DecoderCache* cache);

  int vocab_size() const { return vocab_size_; }

  // INT8 compute of a tied output layer (the embedding matrix as weight);
  // does nothing for an untied one, which is a Dense layer. See
  // AsrModelImpl::QuantizeInt8.
  void QuantizeTiedOutputInt8(const Int8Options& opts = {});

 private:
  torch::Tensor Output(const torch::Tensor& x);  // (.., D) -> (.., V) logits
  int vocab_size_;
  torch::nn::Embedding embed_{nullptr};
  PositionalEncoding positions_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  torch::nn::LayerNorm final_norm_{nullptr};
  Dense output_{nullptr};      // untied output layer
  torch::Tensor output_bias_;  // tied output layer's bias
  Int8Linear tied_int8_;       // tied output layer in INT8 mode
};
TORCH_MODULE(TransformerDecoder);

}  // namespace verbatim
