// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_greedy_search.h"

namespace verbatim {

std::vector<SearchResult> CtcGreedy(const torch::Tensor& log_probs, const torch::Tensor& lengths,
                                    const SearchOptions& opts) {
  // One argmax over the whole batch; the collapse is a short loop per frame.
  const auto best = log_probs.max(-1);
  const auto values = std::get<0>(best).to(torch::kCPU, torch::kDouble).contiguous();
  const auto ids = std::get<1>(best).to(torch::kCPU).contiguous();
  const auto lens = lengths.to(torch::kCPU, torch::kInt64);
  const auto v = values.accessor<double, 2>();
  const auto id = ids.accessor<int64_t, 2>();
  std::vector<SearchResult> results(log_probs.size(0));
  for (int64_t n = 0; n < log_probs.size(0); ++n) {
    Hypothesis hyp;
    int64_t previous = kBlankId;
    const int64_t frames = lens[n].item<int64_t>();
    for (int64_t t = 0; t < frames; ++t) {
      hyp.ctc_score += v[n][t];
      if (id[n][t] != kBlankId && id[n][t] != previous)
        hyp.tokens.push_back(static_cast<int>(id[n][t]));
      previous = id[n][t];
    }
    hyp.score =
        FinalScore(hyp.ctc_score + opts.length_bonus * hyp.tokens.size(), hyp.tokens.size(), opts);
    results[n].nbest.push_back(std::move(hyp));
  }
  return results;
}

std::vector<SearchResult> CtcGreedySearch::Run(AsrModel& model, const EncoderOutput& enc,
                                               const torch::Tensor& ctc_log_probs) {
  return CtcGreedy(CtcLogProbsOf(model, enc, ctc_log_probs), enc.lengths, options());
}

}  // namespace verbatim
