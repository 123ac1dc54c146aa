// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A deliberately naive joint CTC/attention beam search, the reference for the
// tests and the decoding benchmark (bench/decode_bench.cc): the same
// algorithm and scores as AttentionBeamSearch, but one utterance and one
// hypothesis at a time, without the decoder's key/value cache (every step
// re-runs the teacher-forced decoder on the whole prefix, O(length^2)), and
// with a scalar double-precision CTC prefix score per candidate. Not for
// production use.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "asr/search/search.h"

namespace verbatim {

class NaiveBeamSearch : public Search {
 public:
  using Search::Search;

 protected:
  std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                const torch::Tensor& ctc_log_probs) override;
};

}  // namespace verbatim
