// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Joint CTC/attention beam search as ESPnet's: the decoder proposes the
// opts.PreBeam(V) best next tokens of every hypothesis, the CTC prefix score
// rescores them, and each utterance keeps the `beam` best extensions by
//   ctc_weight * log psi_ctc(prefix) + (1 - ctc_weight) * log P_att(prefix)
//   + length_bonus * tokens.
// Choosing <eos> finishes a hypothesis (its CTC score becomes the full
// sequence probability); finished hypotheses leave the beam. At the maximum
// length only <eos> is allowed. Batched: all hypotheses of all utterances
// are rows of one decoder step (with the key/value cache); an utterance stops
// when nothing is left running, or when no running hypothesis can still
// beat its n-best (scores never grow without a length bonus or
// normalization).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/search/search.h"

namespace verbatim {

class AttentionBeamSearch : public Search {
 public:
  using Search::Search;

 protected:
  std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                const torch::Tensor& ctc_log_probs) override;
};

}  // namespace verbatim
