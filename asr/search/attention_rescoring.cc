// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/attention_rescoring.h"

#include <algorithm>

#include "asr/search/ctc_prefix_beam_search.h"

namespace verbatim {

std::vector<double> AttentionLogLikelihoods(AsrModel& model, const EncoderOutput& enc,
                                            const std::vector<int64_t>& utts,
                                            const std::vector<std::vector<int>>& tokens) {
  if (tokens.empty()) return {};
  const int64_t m = static_cast<int64_t>(tokens.size());
  size_t width = 0;
  for (const auto& t : tokens) width = std::max(width, t.size());
  auto padded = torch::full({m, static_cast<int64_t>(width)}, kIgnoreId, torch::kInt64);
  auto lengths = torch::empty({m}, torch::kInt64);
  for (int64_t i = 0; i < m; ++i) {
    lengths[i] = static_cast<int64_t>(tokens[i].size());
    for (size_t j = 0; j < tokens[i].size(); ++j) padded[i][j] = tokens[i][j];
  }
  const auto device = enc.out.device();
  const DecoderIo io = MakeDecoderIo(padded.to(device), lengths.to(device));
  const auto index = torch::tensor(utts, torch::kInt64).to(device);
  const auto logits = model->decoder()->forward(
      io.input, io.lengths, enc.out.index_select(0, index), enc.mask.index_select(0, index));
  const auto valid = io.target != kIgnoreId;
  const auto picked =
      torch::log_softmax(logits, -1).gather(2, io.target.clamp_min(0).unsqueeze(2)).squeeze(2);
  const auto sums =
      picked.masked_fill(valid.logical_not(), 0.0).sum(1).to(torch::kCPU, torch::kDouble);
  return std::vector<double>(sums.data_ptr<double>(), sums.data_ptr<double>() + m);
}

std::vector<SearchResult> AttentionRescoring::Run(AsrModel& model, const EncoderOutput& enc,
                                                  const torch::Tensor& ctc_log_probs) {
  const SearchOptions& opts = options();
  const auto log_probs = CtcLogProbsOf(model, enc, ctc_log_probs).to(torch::kCPU);
  const auto lengths = enc.lengths.to(torch::kCPU);
  // The whole CTC beam is rescored, ranked by CTC probability alone.
  SearchOptions ctc_opts = opts;
  ctc_opts.nbest = opts.beam;
  ctc_opts.length_bonus = 0.0;
  ctc_opts.length_normalize = false;
  std::vector<SearchResult> results;
  std::vector<int64_t> utts;
  std::vector<std::vector<int>> tokens;
  for (int64_t n = 0; n < log_probs.size(0); ++n) {
    results.push_back(
        CtcPrefixBeamSearchOne(log_probs[n].narrow(0, 0, lengths[n].item<int64_t>()), ctc_opts));
    for (const auto& h : results.back().nbest) {
      utts.push_back(n);
      tokens.push_back(h.tokens);
    }
  }
  const std::vector<double> att = AttentionLogLikelihoods(model, enc, utts, tokens);
  size_t i = 0;
  for (auto& result : results) {
    for (auto& h : result.nbest) {
      h.attention_score = att[i++];
      const double raw = opts.ctc_weight * h.ctc_score +
                         (1.0 - opts.ctc_weight) * h.attention_score +
                         opts.length_bonus * h.tokens.size();
      h.score = FinalScore(raw, h.tokens.size(), opts);
    }
    SortAndTrim(&result.nbest, opts.nbest);
  }
  return results;
}

}  // namespace verbatim
