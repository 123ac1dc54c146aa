// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// ESPnet's CTC prefix score (Watanabe et al., "Hybrid CTC/attention
// architecture for end-to-end speech recognition", 2017, Algorithm 2),
// vectorized over hypotheses B (of any utterances of a batch) and K candidate
// tokens per hypothesis. psi(g + c) is the CTC probability that the output
// starts with prefix g followed by c; for c = <eos> it is the probability of
// exactly g. Frames past an utterance's end are padded with a certain blank,
// so every hypothesis can use the batch's common frame count.
//
// psi(g + c) needs only g's forward variables, so Score() computes it for all
// B x K candidates with a few whole-tensor operations (a log-sum over
// frames), and the frame-by-frame recursion of the forward variables runs in
// Select(), only for the few extensions the search keeps.
#pragma once

#include <torch/torch.h>

namespace verbatim {

class CtcPrefixScorer {
 public:
  // Prefixes of one length for B hypotheses.
  struct State {
    torch::Tensor r;     // (T, 2, B): log P(prefix seen by frame t, ending in non-blank / blank)
    torch::Tensor psi;   // (B) prefix log probability
    torch::Tensor last;  // (B) int64 last token (meaningless while length == 0)
    torch::Tensor utt;   // (B) int64 utterance of each hypothesis
    int64_t length = 0;  // tokens in every prefix (without <sos>)
  };
  // Scores of K candidates for each of B hypotheses.
  struct Scores {
    torch::Tensor psi;         // (B, K) log psi(g + c)
    torch::Tensor candidates;  // (B, K) int64
  };

  // log_probs (N, T, V) CTC log-probabilities; lengths (N) frames.
  CtcPrefixScorer(const torch::Tensor& log_probs, const torch::Tensor& lengths, int64_t blank,
                  int64_t eos);

  // Empty prefixes for utterances `utt` (B, int64).
  State Initial(const torch::Tensor& utt) const;
  // psi of every candidates (B, K) extension; blank gets -inf.
  Scores Score(const State& state, const torch::Tensor& candidates) const;
  // Extended prefixes: hypothesis rows[i] extended by its candidate ks[i]
  // (B'), which must not be blank or <eos>.
  State Select(const State& state, const Scores& scores, const torch::Tensor& rows,
               const torch::Tensor& ks) const;

 private:
  // Forward variables (T, 2, B') of hypotheses rows (B') of `state` extended
  // by tokens (B'): a loop over frames in plain C++ on the CPU, tensor
  // operations per frame elsewhere.
  torch::Tensor Forward(const State& state, const torch::Tensor& rows,
                        const torch::Tensor& tokens) const;
  torch::Tensor ForwardCpu(const State& state, const torch::Tensor& rows,
                           const torch::Tensor& tokens) const;

  torch::Tensor x_;      // (T, N * V) padded log-probs, frame-major
  torch::Tensor blank_;  // (T, N) log-probs of blank
  int64_t vocab_, blank_id_, eos_id_;
};

}  // namespace verbatim
