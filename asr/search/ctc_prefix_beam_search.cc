// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_prefix_beam_search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace verbatim {
namespace {

// Log probabilities of a prefix's alignments so far, by their last label.
struct PrefixScore {
  double blank = kLogZero;
  double non_blank = kLogZero;
  double Total() const { return LogAdd(blank, non_blank); }
};

using Beam = std::map<std::vector<int>, PrefixScore>;

// Adds frame `lp` (V log-probs) with candidate labels `labels` to `beam`.
Beam ExtendOneFrame(const Beam& beam, const double* lp, const std::vector<int>& labels) {
  Beam next;
  for (const auto& [prefix, score] : beam) {
    const double total = score.Total();
    for (int label : labels) {
      const double p = lp[label];
      if (label == kBlankId) {
        auto& s = next[prefix];
        s.blank = LogAdd(s.blank, total + p);
        continue;
      }
      std::vector<int> extended = prefix;
      extended.push_back(label);
      auto& e = next[extended];
      if (!prefix.empty() && prefix.back() == label) {
        // A repeat collapses into the prefix; a new label needs a blank between.
        auto& s = next[prefix];
        s.non_blank = LogAdd(s.non_blank, score.non_blank + p);
        e.non_blank = LogAdd(e.non_blank, score.blank + p);
      } else {
        e.non_blank = LogAdd(e.non_blank, total + p);
      }
    }
  }
  return next;
}

// The `size` most probable prefixes of `beam`; impossible ones (a repeat
// without a blank in between) are dropped.
Beam Prune(const Beam& beam, size_t size) {
  std::vector<std::pair<double, const std::vector<int>*>> order;
  for (const auto& [prefix, score] : beam)
    if (score.Total() > kLogZero) order.emplace_back(score.Total(), &prefix);
  size = std::min(size, order.size());
  std::nth_element(order.begin(), order.begin() + size, order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  Beam kept;
  for (size_t i = 0; i < size; ++i) kept.emplace(*order[i].second, beam.at(*order[i].second));
  return kept;
}

}  // namespace

SearchResult CtcPrefixBeamSearchOne(const torch::Tensor& log_probs, const SearchOptions& opts) {
  const auto lp = log_probs.to(torch::kCPU, torch::kDouble).contiguous();
  const int64_t frames = lp.size(0), vocab = lp.size(1);
  const int64_t pre_beam = opts.PreBeam(static_cast<int>(vocab));
  Beam beam;
  beam[std::vector<int>()].blank = 0.0;  // the empty prefix before the first frame
  for (int64_t t = 0; t < frames; ++t) {
    const double* row = lp.data_ptr<double>() + t * vocab;
    std::vector<int> labels(vocab);
    for (int64_t v = 0; v < vocab; ++v) labels[v] = static_cast<int>(v);
    std::partial_sort(labels.begin(), labels.begin() + pre_beam, labels.end(),
                      [row](int a, int b) { return row[a] > row[b]; });
    labels.resize(pre_beam);
    beam = Prune(ExtendOneFrame(beam, row, labels), opts.beam);
  }
  SearchResult result;
  for (const auto& [prefix, score] : beam) {
    Hypothesis hyp;
    hyp.tokens = prefix;
    hyp.ctc_score = score.Total();
    hyp.score = FinalScore(hyp.ctc_score + opts.length_bonus * prefix.size(), prefix.size(), opts);
    result.nbest.push_back(std::move(hyp));
  }
  SortAndTrim(&result.nbest, opts.nbest);
  return result;
}

std::vector<SearchResult> CtcPrefixBeamSearch::Run(AsrModel& model, const EncoderOutput& enc,
                                                   const torch::Tensor& ctc_log_probs) {
  const auto log_probs = CtcLogProbsOf(model, enc, ctc_log_probs).to(torch::kCPU);
  const auto lengths = enc.lengths.to(torch::kCPU);
  std::vector<SearchResult> results;
  for (int64_t n = 0; n < log_probs.size(0); ++n)
    results.push_back(
        CtcPrefixBeamSearchOne(log_probs[n].narrow(0, 0, lengths[n].item<int64_t>()), options()));
  return results;
}

}  // namespace verbatim
