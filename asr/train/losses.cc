// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/losses.h"

#include <algorithm>

#include "base/error.h"

namespace verbatim {

torch::Tensor CtcLoss(const torch::Tensor& log_probs, const torch::Tensor& input_lengths,
                      const torch::Tensor& targets, const torch::Tensor& target_lengths) {
  const int64_t n = log_probs.size(0);
  // torch wants (T, N, V) and valid ids in the padding.
  auto lp = log_probs.transpose(0, 1).to(torch::kFloat32);
  auto t = targets.clamp_min(0).to(torch::kInt64);
  auto per_utt = torch::ctc_loss(lp, t, input_lengths.to(torch::kInt64).cpu(),
                                 target_lengths.to(torch::kInt64).cpu(), /*blank=*/0,
                                 at::Reduction::None, /*zero_infinity=*/true);
  return per_utt.sum() / n;
}

torch::Tensor LabelSmoothingLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 double smoothing, int64_t ignore_id) {
  Check(smoothing >= 0.0 && smoothing < 1.0, "label smoothing must be in [0, 1)");
  const int64_t n = logits.size(0), v = logits.size(-1);
  auto logp = torch::log_softmax(logits.to(torch::kFloat32), -1);  // (N, L, V)
  const auto valid = targets != ignore_id;
  const auto target = targets.masked_fill(valid.logical_not(), 0);
  const double confidence = 1.0 - smoothing;
  const double other = v > 1 ? smoothing / static_cast<double>(v - 1) : 0.0;
  // KL(q || p) = sum_k q_k (log q_k - log p_k), with the entropy of q constant.
  auto q = torch::full_like(logp, other).scatter_(-1, target.unsqueeze(-1), confidence);
  auto q_log_q = torch::xlogy(q, q);
  auto kl = (q_log_q - q * logp).sum(-1);  // (N, L)
  return kl.masked_fill(valid.logical_not(), 0.0).sum() / n;
}

torch::Tensor TotalLoss(const torch::Tensor& ctc, const torch::Tensor& attention, double ctc_weight,
                        const torch::Tensor& guided, double guided_weight) {
  torch::Tensor total = ctc_weight * ctc + (1.0 - ctc_weight) * attention;
  if (guided.defined()) total = total + guided_weight * guided;
  return total;
}

double TokenAccuracy(const torch::Tensor& logits, const torch::Tensor& targets, int64_t ignore_id) {
  const auto valid = targets != ignore_id;
  const int64_t count = valid.sum().item<int64_t>();
  if (count == 0) return 0.0;
  const auto correct = (logits.argmax(-1) == targets).logical_and(valid).sum().item<int64_t>();
  return static_cast<double>(correct) / static_cast<double>(count);
}

torch::Tensor GuidedAttentionPenalty(const torch::Tensor& decoder_lengths,
                                     const torch::Tensor& encoder_lengths, int64_t max_decoder,
                                     int64_t max_encoder, double sigma) {
  Check(sigma > 0, "guided attention sigma must be positive");
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(decoder_lengths.device());
  auto n = torch::arange(max_decoder, opts).view({1, -1, 1});
  auto t = torch::arange(max_encoder, opts).view({1, 1, -1});
  auto big_n = decoder_lengths.to(opts).view({-1, 1, 1});
  auto big_t = encoder_lengths.to(opts).view({-1, 1, 1});
  auto d = n / big_n - t / big_t;
  auto w = 1.0 - torch::exp(-(d * d) / (2.0 * sigma * sigma));
  auto valid = (n < big_n).logical_and(t < big_t);
  return w.masked_fill(valid.logical_not(), 0.0);
}

torch::Tensor GuidedAttentionLoss(const std::vector<torch::Tensor>& cross_attention,
                                  const torch::Tensor& decoder_lengths,
                                  const torch::Tensor& encoder_lengths,
                                  const GuidedAttentionOptions& opts) {
  Check(!cross_attention.empty(), "guided attention needs the decoder's cross-attention");
  const auto& first = cross_attention.front();
  const int64_t heads = first.size(1), max_l = first.size(2), max_t = first.size(3);
  auto penalty = GuidedAttentionPenalty(decoder_lengths, encoder_lengths, max_l, max_t, opts.sigma)
                     .unsqueeze(1);  // (N, 1, L, T)
  // Per decoder step: each attention row sums to one, so the loss is the
  // expected penalty of a step, in [0, 1], whatever the utterance length.
  // (Tachibana et al. average over all N x T cells instead, which shrinks
  // the loss, and so its gradient, as 1 / T.)
  auto steps = decoder_lengths.to(torch::kFloat32).clamp_min(1);  // (N)
  std::vector<int> layers = opts.layers, head_list = opts.heads;
  if (layers.empty())
    for (size_t i = 0; i < cross_attention.size(); ++i) layers.push_back(static_cast<int>(i));
  if (head_list.empty())
    for (int h = 0; h < heads; ++h) head_list.push_back(h);
  for (int h : head_list)
    Check(h >= 0 && h < heads, "guided attention head " + std::to_string(h) + " does not exist");
  auto head_index =
      torch::tensor(std::vector<int64_t>(head_list.begin(), head_list.end()),
                    torch::TensorOptions().dtype(torch::kInt64).device(first.device()));
  torch::Tensor total = torch::zeros({}, penalty.options());
  for (int layer : layers) {
    Check(layer >= 0 && layer < static_cast<int>(cross_attention.size()),
          "guided attention layer " + std::to_string(layer) + " does not exist");
    auto attn = cross_attention[layer].index_select(1, head_index).to(torch::kFloat32);
    auto per_utt_head = (attn * penalty).sum({2, 3}) / steps.unsqueeze(1);  // (N, H')
    total = total + per_utt_head.mean();
  }
  return total / static_cast<double>(layers.size());
}

}  // namespace verbatim
