// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Tiny random models and independent reference scores for the search tests.
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <vector>

#include "asr/model/asr_model.h"

namespace verbatim {
namespace test {

inline ModelOptions TinySearchModel(int vocab) {
  ModelOptions o;
  o.input_dim = 8;
  o.vocab_size = vocab;
  o.d_model = 16;
  o.num_heads = 2;
  o.ffn_dim = 32;
  o.encoder_layers = 1;
  o.decoder_layers = 2;
  o.dropout = 0.1;  // eval() must switch it off
  return o;
}

// Random peaky CTC log-probabilities (T, V).
inline torch::Tensor RandomLogProbs(int64_t frames, int64_t vocab) {
  return torch::log_softmax(2.0 * torch::randn({frames, vocab}), -1);
}

// Probability of every label sequence by summing all V^T alignments of
// log_probs (T, V) (blank 0): the definition of CTC, no dynamic programming.
inline std::map<std::vector<int>, double> BruteForceCtc(const torch::Tensor& log_probs) {
  const auto lp = log_probs.to(torch::kDouble).contiguous();
  const int64_t frames = lp.size(0), vocab = lp.size(1);
  std::map<std::vector<int>, double> probs;
  std::vector<int> path(frames, 0);
  while (true) {
    double logp = 0.0;
    std::vector<int> labels;
    int previous = 0;
    for (int64_t t = 0; t < frames; ++t) {
      logp += lp[t][path[t]].item<double>();
      if (path[t] != 0 && path[t] != previous) labels.push_back(path[t]);
      previous = path[t];
    }
    probs[labels] += std::exp(logp);
    int64_t t = 0;
    while (t < frames && ++path[t] == vocab) path[t++] = 0;
    if (t == frames) break;
  }
  return probs;
}

// log P_ctc(tokens) from LibTorch's own CTC loss; log_probs (T, V).
inline double TorchCtcLogLikelihood(const torch::Tensor& log_probs,
                                    const std::vector<int>& tokens) {
  std::vector<int64_t> t(tokens.begin(), tokens.end());
  auto targets = torch::tensor(t, torch::kInt64).reshape({1, -1});
  namespace F = torch::nn::functional;
  auto loss = F::ctc_loss(log_probs.unsqueeze(1).to(torch::kDouble), targets,
                          torch::tensor({log_probs.size(0)}, torch::kInt64),
                          torch::tensor({static_cast<int64_t>(tokens.size())}, torch::kInt64),
                          F::CTCLossFuncOptions().reduction(torch::kNone));
  return -loss.item<double>();
}

// log P_att(tokens, <eos>) of utterance `n` by incremental decoding, one
// token at a time.
inline double StepwiseAttentionLogLikelihood(AsrModel& model, const EncoderOutput& enc, int64_t n,
                                             const std::vector<int>& tokens) {
  auto cache = model->decoder()->InitCache(enc.out.narrow(0, n, 1), enc.mask.narrow(0, n, 1));
  double total = 0.0;
  int64_t last = kSosEosId;
  for (size_t i = 0; i <= tokens.size(); ++i) {
    auto logp = model->decoder()->Step(torch::tensor({last}, torch::kInt64), &cache);
    const int64_t next = i < tokens.size() ? tokens[i] : kSosEosId;
    total += logp[0][next].item<double>();
    last = next;
  }
  return total;
}

}  // namespace test
}  // namespace verbatim
