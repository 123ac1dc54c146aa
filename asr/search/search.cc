// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/search.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {

void SearchOptions::Validate() const {
  Check(beam >= 1, "search: beam must be >= 1, got " + std::to_string(beam));
  Check(ctc_weight >= 0.0 && ctc_weight <= 1.0,
        "search: ctc_weight must be in [0, 1], got " + std::to_string(ctc_weight));
  Check(max_length_ratio >= 0.0, "search: max_length_ratio must be >= 0");
  Check(min_length_ratio >= 0.0, "search: min_length_ratio must be >= 0");
  Check(nbest >= 1 && nbest <= beam, "search: nbest must be in [1, beam], got " +
                                         std::to_string(nbest) + " with beam " +
                                         std::to_string(beam));
  Check(pre_beam >= 0, "search: pre_beam must be >= 0");
}

int SearchOptions::PreBeam(int vocab_size) const {
  const int size = pre_beam > 0 ? pre_beam : static_cast<int>(1.5 * beam);
  return std::max(1, std::min(size, vocab_size));
}

int SearchOptions::MaxLength(int64_t frames) const {
  if (max_length_ratio <= 0.0) return static_cast<int>(std::max<int64_t>(1, frames));
  return std::max(1, static_cast<int>(max_length_ratio * static_cast<double>(frames)));
}

int SearchOptions::MinLength(int64_t frames) const {
  return static_cast<int>(min_length_ratio * static_cast<double>(frames));
}

Search::Search(const SearchOptions& opts) : opts_(opts) { opts_.Validate(); }

std::vector<SearchResult> Search::Decode(AsrModel& model, const torch::Tensor& feats,
                                         const torch::Tensor& feat_lengths) {
  model->eval();
  torch::NoGradGuard no_grad;
  return Run(model, model->EncodeForInference(feats, feat_lengths), torch::Tensor());
}

std::vector<SearchResult> Search::DecodeEncoded(AsrModel& model, const EncoderOutput& enc,
                                                const torch::Tensor& ctc_log_probs) {
  model->eval();
  torch::NoGradGuard no_grad;
  return Run(model, enc, ctc_log_probs);
}

torch::Tensor CtcLogProbsOf(AsrModel& model, const EncoderOutput& enc,
                            const torch::Tensor& ctc_log_probs) {
  return ctc_log_probs.defined() ? ctc_log_probs : model->CtcLogProbs(enc.out);
}

void SortAndTrim(std::vector<Hypothesis>* hyps, int nbest) {
  std::stable_sort(hyps->begin(), hyps->end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
  if (hyps->size() > static_cast<size_t>(nbest)) hyps->resize(nbest);
}

double FinalScore(double raw_score, size_t num_tokens, const SearchOptions& opts) {
  return opts.length_normalize ? raw_score / static_cast<double>(num_tokens + 1) : raw_score;
}

}  // namespace verbatim
