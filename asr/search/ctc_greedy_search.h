// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CTC greedy (best path) search: the most likely label of every frame,
// repeats collapsed, blanks dropped. Batched over utterances.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/search/search.h"

namespace verbatim {

// log_probs (N, T', V) CTC log-probabilities; lengths (N) frames. One
// hypothesis per utterance: ctc_score is the log probability of the best
// path (not of the label sequence); score = ctc_score + length_bonus * tokens.
std::vector<SearchResult> CtcGreedy(const torch::Tensor& log_probs, const torch::Tensor& lengths,
                                    const SearchOptions& opts = {});

class CtcGreedySearch : public Search {
 public:
  using Search::Search;

 protected:
  std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                const torch::Tensor& ctc_log_probs) override;
};

}  // namespace verbatim
