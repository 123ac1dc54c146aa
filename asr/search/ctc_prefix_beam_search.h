// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CTC prefix beam search: keeps the `beam` most probable label prefixes, each
// with the probability of its alignments ending in blank and in non-blank,
// so that alignments collapsing to the same labels are summed. One
// utterance at a time (the work is in small per-prefix maps, not tensors).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/search/search.h"

namespace verbatim {

// log_probs (T', V) of one utterance (only the real frames). Per frame only
// the opts.PreBeam(V) most likely labels extend prefixes. Returns the
// opts.nbest best prefixes with ctc_score = log P_ctc(tokens) as summed by the
// search (exact when nothing was pruned).
SearchResult CtcPrefixBeamSearchOne(const torch::Tensor& log_probs, const SearchOptions& opts);

class CtcPrefixBeamSearch : public Search {
 public:
  using Search::Search;

 protected:
  std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                const torch::Tensor& ctc_log_probs) override;
};

}  // namespace verbatim
