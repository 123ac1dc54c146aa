// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The interface every search (decoding algorithm) implements, its options and
// its results. Scores are natural-log probabilities (nats). A hypothesis'
// tokens exclude <sos/eos>.
#pragma once

#include <torch/torch.h>

#include <limits>
#include <vector>

#include "asr/model/asr_model.h"
#include "asr/search/log_probability.h"

namespace verbatim {

struct Hypothesis {
  std::vector<int> tokens;       // output token ids, without <sos>/<eos>
  double score = 0.0;            // ranking score (nats; per token when length_normalize)
  double attention_score = 0.0;  // log P_att(tokens, <eos>) (0 when the decoder was not used)
  double ctc_score = 0.0;        // log P_ctc(tokens) (prefix probability while unfinished)
};

struct SearchResult {
  std::vector<Hypothesis> nbest;  // best first
};

struct SearchOptions {
  int beam = 10;                  // hypotheses kept per utterance
  double ctc_weight = 0.3;        // weight of CTC in the joint score, 0..1 (1 = CTC only)
  double length_bonus = 0.0;      // added to the score per output token (nats)
  bool length_normalize = false;  // rank final hypotheses by score / (tokens + 1)
  // Longest output, tokens per encoder frame; 0 = as many tokens as frames.
  double max_length_ratio = 0.0;
  double min_length_ratio = 0.0;  // shortest output, tokens per encoder frame
  int nbest = 1;                  // hypotheses returned per utterance
  // Candidate tokens per hypothesis and step (or per frame for CTC beam
  // search) taken from the cheap scores before the expensive CTC prefix
  // score; 0 = int(1.5 * beam) as ESPnet.
  int pre_beam = 0;

  void Validate() const;                // throws Error on out-of-range values
  int PreBeam(int vocab_size) const;    // effective pre-beam size, at most vocab_size
  int MaxLength(int64_t frames) const;  // longest output for `frames` encoder frames (>= 1)
  int MinLength(int64_t frames) const;  // shortest output for `frames` encoder frames
};

class Search {
 public:
  // Throws Error for out-of-range options.
  explicit Search(const SearchOptions& opts = {});
  virtual ~Search() = default;
  const SearchOptions& options() const { return opts_; }

  // feats (N, T, C) float, feat_lengths (N): encodes the batch
  // (AsrModelImpl::EncodeForInference), then searches. Returns one result
  // per utterance.
  std::vector<SearchResult> Decode(AsrModel& model, const torch::Tensor& feats,
                                   const torch::Tensor& feat_lengths);
  // The same on an encoder output of `model` computed by the caller (who
  // encodes once for more uses). `ctc_log_probs`: the model's CTC
  // log-probabilities of `enc`, (N, T', V), when the caller has them too;
  // undefined, the search computes them if it needs them. Both put the model
  // in eval mode and run without gradients.
  std::vector<SearchResult> DecodeEncoded(AsrModel& model, const EncoderOutput& enc,
                                          const torch::Tensor& ctc_log_probs = torch::Tensor());

 protected:
  // The search proper (eval mode, no gradients); `ctc_log_probs` as above.
  virtual std::vector<SearchResult> Run(AsrModel& model, const EncoderOutput& enc,
                                        const torch::Tensor& ctc_log_probs) = 0;

 private:
  SearchOptions opts_;
};

// `ctc_log_probs` when defined, else the CTC log-probabilities of `enc`.
torch::Tensor CtcLogProbsOf(AsrModel& model, const EncoderOutput& enc,
                            const torch::Tensor& ctc_log_probs);

// Sorts `hyps` best first by score and keeps the `nbest` best.
void SortAndTrim(std::vector<Hypothesis>* hyps, int nbest);

// Final score of a finished hypothesis with `raw_score` nats (incl. length
// bonus) and `num_tokens` tokens: divided by num_tokens + 1 (<eos>) when
// opts.length_normalize.
double FinalScore(double raw_score, size_t num_tokens, const SearchOptions& opts);

}  // namespace verbatim
