// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/validation.h"

#include <cmath>

#include "base/error.h"

namespace verbatim {
namespace {

WerScorerOptions WordsOnly() {
  WerScorerOptions o;
  o.score_characters = false;
  return o;
}

}  // namespace

ValidationAccumulator::ValidationAccumulator(Detokenizer detokenize)
    : detokenize_(std::move(detokenize)), scorer_(WordsOnly()) {}

void ValidationAccumulator::Add(const LossValues& batch_loss, const torch::Tensor& tokens,
                                const torch::Tensor& token_lengths,
                                const std::vector<std::vector<int>>& hypotheses) {
  sums_.Add(batch_loss);
  if (!detokenize_) return;
  Check(static_cast<int64_t>(hypotheses.size()) == tokens.size(0),
        "validation: " + std::to_string(hypotheses.size()) + " hypotheses for " +
            std::to_string(tokens.size(0)) + " utterances");
  const torch::Tensor cpu_tokens = tokens.to(torch::kCPU, torch::kInt64).contiguous();
  const torch::Tensor lengths = token_lengths.to(torch::kCPU, torch::kInt64).contiguous();
  for (int64_t i = 0; i < cpu_tokens.size(0); ++i) {
    const int64_t* row = cpu_tokens[i].data_ptr<int64_t>();
    const std::vector<int> ref(row, row + lengths[i].item<int64_t>());
    const std::string hyp_text = detokenize_(hypotheses[i]);
    words_ += scorer_.ScoreUtterance(std::to_string(i), detokenize_(ref), &hyp_text).words;
  }
}

std::vector<double> ValidationAccumulator::Pack() const {
  std::vector<double> packed = sums_.Pack();
  for (int64_t v : {words_.ref_tokens, words_.correct, words_.substitutions, words_.deletions,
                    words_.insertions})
    packed.push_back(static_cast<double>(v));
  return packed;
}

ValidationResult ValidationAccumulator::FromPacked(const std::vector<double>& packed) const {
  Check(packed.size() == LossValues::kPackedSize + 5, "validation: bad packed size");
  ValidationResult r;
  r.loss = LossValues::Unpack(packed.data()).Mean();
  const double* w = packed.data() + LossValues::kPackedSize;
  r.words.ref_tokens = std::llround(w[0]);
  r.words.correct = std::llround(w[1]);
  r.words.substitutions = std::llround(w[2]);
  r.words.deletions = std::llround(w[3]);
  r.words.insertions = std::llround(w[4]);
  r.has_wer = static_cast<bool>(detokenize_);
  return r;
}

}  // namespace verbatim
