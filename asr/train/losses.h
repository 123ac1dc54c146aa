// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The training losses. Normalization follows ESPnet: every loss is a sum over
// the tokens (or frames) of an utterance, averaged over the utterances of the
// batch ("per utterance"), so that
//   total = ctc_weight * ctc + (1 - ctc_weight) * attention
//           + guided_weight * guided_attention.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/train/guided_attention_options.h"

namespace verbatim {

// CTC with blank 0. log_probs (N, T, V) log-softmax; input_lengths (N);
// targets (N, L) padded with anything; target_lengths (N). Impossible
// alignments (target longer than the input) contribute zero. Returns the
// per-utterance mean of -log P(y|x).
torch::Tensor CtcLoss(const torch::Tensor& log_probs, const torch::Tensor& input_lengths,
                      const torch::Tensor& targets, const torch::Tensor& target_lengths);

// Label-smoothed cross-entropy as KL(q || p), q = (1 - smoothing) on the
// target and smoothing / (V - 1) on every other token (ESPnet's
// LabelSmoothingLoss). logits (N, L, V); targets (N, L) with ignore_id on
// padding. Returns the sum over tokens, averaged over utterances.
torch::Tensor LabelSmoothingLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 double smoothing, int64_t ignore_id = -1);

// The training objective, ESPnet's hybrid CTC/attention loss:
//   ctc_weight * ctc + (1 - ctc_weight) * attention + guided_weight * guided
// (no guided term when `guided` is undefined). Scalars.
torch::Tensor TotalLoss(const torch::Tensor& ctc, const torch::Tensor& attention, double ctc_weight,
                        const torch::Tensor& guided = torch::Tensor(), double guided_weight = 0.0);

// Token accuracy of the argmax of `logits` over non-ignored targets, in [0, 1].
double TokenAccuracy(const torch::Tensor& logits, const torch::Tensor& targets,
                     int64_t ignore_id = -1);

// Penalty W[n, t] = 1 - exp(-(n/N - t/T)^2 / (2 g^2)) for n < N (decoder
// positions) and t < T (encoder frames), zero outside; (N_batch, Lmax, Tmax).
torch::Tensor GuidedAttentionPenalty(const torch::Tensor& decoder_lengths,
                                     const torch::Tensor& encoder_lengths, int64_t max_decoder,
                                     int64_t max_encoder, double sigma);

// Mean over the chosen layers and heads, and over utterances, of the
// penalty-weighted attention per decoder step (sum over valid cells divided
// by the number of decoder steps: the expected penalty of one step, 0..1).
// cross_attention: per layer (N, H, L, T').
torch::Tensor GuidedAttentionLoss(const std::vector<torch::Tensor>& cross_attention,
                                  const torch::Tensor& decoder_lengths,
                                  const torch::Tensor& encoder_lengths,
                                  const GuidedAttentionOptions& opts);

}  // namespace verbatim
