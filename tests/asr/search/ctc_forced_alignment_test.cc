// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CTC forced alignment against brute force: every one of the V^T frame
// labellings of a tiny random input is scored, and the best one collapsing
// to the target must be the one the Viterbi alignment returns.
#include "asr/search/ctc_forced_alignment.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "base/error.h"
#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

struct BestPath {
  double log_prob = -std::numeric_limits<double>::infinity();
  std::vector<int> labels;  // per frame; empty when no path collapses to the target
};

std::vector<int> Collapse(const std::vector<int>& path) {
  std::vector<int> out;
  int previous = kBlankId;
  for (int label : path) {
    if (label != kBlankId && label != previous) out.push_back(label);
    previous = label;
  }
  return out;
}

BestPath BruteForceBestPath(const torch::Tensor& log_probs, const std::vector<int>& target) {
  const auto lp = log_probs.to(torch::kDouble).contiguous();
  const auto a = lp.accessor<double, 2>();
  const int64_t frames = lp.size(0), vocab = lp.size(1);
  BestPath best;
  std::vector<int> path(frames, 0);
  while (true) {
    if (Collapse(path) == target) {
      double score = 0.0;
      for (int64_t t = 0; t < frames; ++t) score += a[t][path[t]];
      if (score > best.log_prob) best.log_prob = score, best.labels = path;
    }
    int64_t t = 0;
    while (t < frames && ++path[t] == vocab) path[t++] = 0;
    if (t == frames) break;
  }
  return best;
}

TEST_CASE("CTC forced alignment equals brute force over all alignments", "[ctc_forced_alignment]") {
  torch::manual_seed(5);
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t frames = 1 + trial % 6, vocab = 4;
    const auto log_probs = test::RandomLogProbs(frames, vocab);
    std::vector<int> target(torch::randint(0, 4, {1}).item<int64_t>());
    for (int& token : target)
      token = static_cast<int>(torch::randint(1, vocab, {1}).item<int64_t>());
    INFO("trial " << trial << ", " << frames << " frames, " << target.size() << " tokens");
    const BestPath want = BruteForceBestPath(log_probs, target);
    const auto got = CtcForcedAlign(log_probs, target);
    if (want.labels.empty()) {
      CHECK_FALSE(got.has_value());
      ++infeasible;
      continue;
    }
    ++feasible;
    REQUIRE(got.has_value());
    CHECK(got->log_prob == Approx(want.log_prob).margin(1e-9));
    CHECK(got->frame_labels == want.labels);
    // The spans are where the path emits each token, with its mean posterior.
    REQUIRE(got->tokens.size() == target.size());
    for (size_t k = 0; k < target.size(); ++k) {
      const CtcTokenSpan& span = got->tokens[k];
      CHECK(span.token == target[k]);
      REQUIRE(span.begin_frame < span.end_frame);
      double posterior = 0.0;
      for (int64_t t = span.begin_frame; t < span.end_frame; ++t) {
        CHECK(want.labels[t] == target[k]);
        posterior += std::exp(log_probs[t][target[k]].item<double>());
      }
      CHECK(span.confidence == Approx(posterior / (span.end_frame - span.begin_frame)));
      if (k > 0) CHECK(span.begin_frame >= got->tokens[k - 1].end_frame);
    }
  }
  CHECK(feasible > 100);
  CHECK(infeasible > 5);  // e.g. repeated tokens in too few frames
}

TEST_CASE("CTC forced alignment edge cases", "[ctc_forced_alignment]") {
  const auto lp = test::RandomLogProbs(3, 5);
  // A repeat needs a blank between: 2 tokens + 1 blank fit in 3 frames, not in 2.
  CHECK(CtcForcedAlign(lp, {3, 3}).has_value());
  CHECK_FALSE(CtcForcedAlign(lp.narrow(0, 0, 2), {3, 3}).has_value());
  const auto empty = CtcForcedAlign(lp, {});
  REQUIRE(empty.has_value());
  CHECK(empty->frame_labels == std::vector<int>(3, kBlankId));
  CHECK(empty->log_prob == Approx(lp.select(1, 0).sum().item<double>()));
  CHECK(CtcForcedAlign(torch::zeros({0, 5}), {}).has_value());
  CHECK_FALSE(CtcForcedAlign(torch::zeros({0, 5}), {3}).has_value());
  CHECK_THROWS_AS(CtcForcedAlign(lp, {5}), Error);
  CHECK_THROWS_AS(CtcForcedAlign(lp, {0}), Error);
}

}  // namespace
}  // namespace verbatim
