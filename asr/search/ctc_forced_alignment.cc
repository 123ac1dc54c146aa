// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_forced_alignment.h"

#include <cmath>
#include <limits>
#include <string>

#include "asr/search/log_probability.h"
#include "base/error.h"

namespace verbatim {

// States of the usual CTC trellis: 2L + 1 of them, blank on even states and
// token k on state 2k + 1. Only the columns of the blank and of the tokens
// are copied out of log_probs, so the cost is O(T L), not O(T V).
std::optional<CtcAlignment> CtcForcedAlign(const torch::Tensor& log_probs,
                                           const std::vector<int>& tokens, int blank) {
  Check(log_probs.dim() == 2, "CTC forced alignment: log_probs must be (T, V)");
  const int64_t frames = log_probs.size(0), vocab = log_probs.size(1);
  const int64_t num_tokens = static_cast<int64_t>(tokens.size());
  Check(blank >= 0 && blank < vocab, "CTC forced alignment: blank id out of range");
  std::vector<int64_t> columns = {blank};
  for (int token : tokens) {
    Check(token >= 0 && token < vocab && token != blank,
          "CTC forced alignment: token id " + std::to_string(token) + " out of range or blank");
    columns.push_back(token);
  }
  CtcAlignment alignment;
  if (frames == 0) {
    if (num_tokens > 0) return std::nullopt;
    return alignment;
  }
  const auto picked = log_probs.detach()
                          .to(torch::kCPU, torch::kDouble)
                          .index_select(1, torch::tensor(columns, torch::kInt64))
                          .contiguous();
  const double* lp = picked.data_ptr<double>();
  const int64_t width = num_tokens + 1;  // columns per frame in `lp`
  const int64_t states = 2 * num_tokens + 1;
  auto column = [](int64_t s) { return s % 2 == 0 ? 0 : 1 + (s - 1) / 2; };
  auto label = [&](int64_t s) { return s % 2 == 0 ? blank : tokens[(s - 1) / 2]; };

  std::vector<double> prev(states, kLogZero), cur(states, kLogZero);
  std::vector<uint8_t> back(frames * states, 0);  // move into the state: 0, 1 or 2 states
  prev[0] = lp[0];
  if (num_tokens > 0) prev[1] = lp[column(1)];
  for (int64_t t = 1; t < frames; ++t) {
    const double* row = lp + t * width;
    for (int64_t s = 0; s < states; ++s) {
      double best = prev[s];
      uint8_t move = 0;
      if (s >= 1 && prev[s - 1] > best) best = prev[s - 1], move = 1;
      if (s >= 2 && s % 2 == 1 && label(s) != label(s - 2) && prev[s - 2] > best)
        best = prev[s - 2], move = 2;
      cur[s] = best == kLogZero ? kLogZero : best + row[column(s)];
      back[t * states + s] = move;
    }
    std::swap(prev, cur);
  }
  int64_t state = states - 1;
  if (num_tokens > 0 && prev[states - 2] > prev[states - 1]) state = states - 2;
  if (prev[state] == kLogZero) return std::nullopt;
  alignment.log_prob = prev[state];

  alignment.frame_labels.resize(frames);
  std::vector<int64_t> path(frames);
  for (int64_t t = frames - 1; t >= 0; --t) {
    path[t] = state;
    alignment.frame_labels[t] = label(state);
    if (t > 0) state -= back[t * states + state];
  }
  alignment.tokens.resize(num_tokens);
  for (int64_t t = 0; t < frames; ++t) {
    if (path[t] % 2 == 0) continue;
    CtcTokenSpan& span = alignment.tokens[(path[t] - 1) / 2];
    if (span.end_frame == 0) span.begin_frame = t;
    span.end_frame = t + 1;
    span.confidence += std::exp(lp[t * width + column(path[t])]);
  }
  for (int64_t k = 0; k < num_tokens; ++k) {
    CtcTokenSpan& span = alignment.tokens[k];
    span.token = tokens[k];
    span.confidence /= static_cast<double>(span.end_frame - span.begin_frame);
  }
  return alignment;
}

}  // namespace verbatim
