// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// What a validation pass measures: the mean losses and token accuracy over
// the dev batches, and the word error rate of CTC greedy (best path)
// hypotheses against the references, both as text from the tokenizer (so the
// WER is on the tokenizer's normalized text, as `verbatim score` would count
// it). The sums can be reduced over the ranks of a data-parallel job, which
// then validate disjoint shares of the dev set.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "asr/eval/edit_alignment.h"
#include "asr/eval/wer_scorer.h"
#include "asr/train/loss_values.h"

namespace verbatim {

// Token ids (no blank, no padding) to text.
using Detokenizer = std::function<std::string(const std::vector<int>&)>;

struct ValidationResult {
  LossValues loss;       // means over the dev batches
  EditCounts words;      // CTC greedy hypotheses against the references, summed
  bool has_wer = false;  // false without a detokenizer
  double WerPercent() const { return 100.0 * words.ErrorRate(); }
};

class ValidationAccumulator {
 public:
  // Without `detokenize` (empty function) only losses are collected.
  explicit ValidationAccumulator(Detokenizer detokenize);

  bool wants_hypotheses() const { return static_cast<bool>(detokenize_); }
  // One dev batch: its loss values, its reference tokens (N, L) padded with
  // -1 and their lengths (N), and one CTC greedy hypothesis per utterance.
  void Add(const LossValues& batch_loss, const torch::Tensor& tokens,
           const torch::Tensor& token_lengths, const std::vector<std::vector<int>>& hypotheses);

  // The sums as doubles (for an all-reduce), and the result of such sums.
  std::vector<double> Pack() const;
  ValidationResult FromPacked(const std::vector<double>& packed) const;
  ValidationResult Result() const { return FromPacked(Pack()); }

 private:
  Detokenizer detokenize_;
  WerScorer scorer_;
  LossValues sums_;
  EditCounts words_;
};

}  // namespace verbatim
