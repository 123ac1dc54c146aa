// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CTC forced alignment: the single most probable CTC path (Viterbi) that
// collapses to a given token sequence, and where each token lies on it.
// Used for token and word timestamps and confidences of a hypothesis.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "asr/text/special_tokens.h"

namespace verbatim {

// One token of the aligned sequence.
struct CtcTokenSpan {
  int token = 0;
  int64_t begin_frame = 0;  // first frame the path emits the token on
  int64_t end_frame = 0;    // one past the last such frame
  // Mean over those frames of the token's posterior P(token | frame): how
  // sure the CTC head is of this token where the alignment puts it (0..1).
  double confidence = 0.0;
};

struct CtcAlignment {
  std::vector<int> frame_labels;     // (T) label of the path on every frame, blank = kBlankId
  std::vector<CtcTokenSpan> tokens;  // one per input token, in order
  double log_prob = 0.0;             // log probability of the path (nats)
};

// log_probs (T, V): CTC log-probabilities of one utterance (real frames
// only, any device and floating type); `tokens` ids in [0, V), none equal to
// `blank`. Returns nullopt when no path exists (fewer frames than tokens plus
// the blanks required between repeated tokens, or only paths of probability
// zero). Ties between predecessors go to the smallest move (deterministic;
// exact ties are rare on real-valued scores). Throws Error on ids out of range.
std::optional<CtcAlignment> CtcForcedAlign(const torch::Tensor& log_probs,
                                           const std::vector<int>& tokens, int blank = kBlankId);

}  // namespace verbatim
