// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Attention rescoring as WeNet's: CTC prefix beam search proposes `beam`
// hypotheses per utterance, the decoder scores each with teacher forcing
// (all hypotheses of all utterances in one batch), and they are ranked by
//   ctc_weight * log P_ctc(y) + (1 - ctc_weight) * log P_att(y, <eos>)
//   + length_bonus * tokens.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/search/search.h"

namespace verbatim {

// log P_att(tokens[i], <eos>) under the decoder attending to utterance
// utts[i] of `enc`, one teacher-forced pass for all i.
std::vector<double> AttentionLogLikelihoods(AsrModel& model, const EncoderOutput& enc,
                                            const std::vector<int64_t>& utts,
                                            const std::vector<std::vector<int>>& tokens);

class AttentionRescoring : public Search {
 public:
  using Search::Search;

 protected:
  std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                const torch::Tensor& ctc_log_probs) override;
};

}  // namespace verbatim
