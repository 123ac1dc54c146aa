// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_prefix_beam_search.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

TEST_CASE("CTC prefix beam search without pruning sums all alignments", "[search]") {
  torch::manual_seed(5);
  for (int64_t frames : {1, 3, 6}) {
    auto lp = test::RandomLogProbs(frames, 4);
    const auto brute = test::BruteForceCtc(lp);
    SearchOptions opts;
    opts.beam = 2000;  // larger than the number of label sequences: nothing pruned
    opts.pre_beam = 4;
    opts.nbest = 2000;
    const SearchResult result = CtcPrefixBeamSearchOne(lp, opts);
    INFO("frames " << frames);
    CHECK(result.nbest.size() == brute.size());
    for (const auto& h : result.nbest) {
      REQUIRE(brute.count(h.tokens) == 1);
      CHECK(h.ctc_score == Approx(std::log(brute.at(h.tokens))).epsilon(1e-6));
      CHECK(h.score == h.ctc_score);
    }
    for (size_t i = 1; i < result.nbest.size(); ++i)
      CHECK(result.nbest[i - 1].score >= result.nbest[i].score);
  }
}

TEST_CASE("CTC prefix beam search n-best are the most probable sequences", "[search]") {
  torch::manual_seed(6);
  auto lp = test::RandomLogProbs(7, 4);
  const auto brute = test::BruteForceCtc(lp);
  std::vector<double> sorted;
  for (const auto& [labels, p] : brute) sorted.push_back(p);
  std::sort(sorted.rbegin(), sorted.rend());
  SearchOptions opts;
  opts.beam = 40;
  opts.nbest = 3;
  const SearchResult result = CtcPrefixBeamSearchOne(lp, opts);
  REQUIRE(result.nbest.size() == 3);
  // A beam of 40 over 4 labels and 7 frames is wide enough for the top 3.
  for (size_t i = 0; i < 3; ++i)
    CHECK(std::exp(result.nbest[i].ctc_score) == Approx(sorted[i]).epsilon(1e-6));
}

TEST_CASE("CTC prefix beam search on a model, per utterance of a padded batch", "[search]") {
  torch::manual_seed(7);
  AsrModel model(test::TinySearchModel(6));
  auto a = torch::randn({1, 40, 8}), b = torch::randn({1, 23, 8});
  auto batch = torch::randn({2, 40, 8});  // garbage padding
  batch[0].copy_(a[0]);
  batch[1].narrow(0, 0, 23).copy_(b[0]);
  SearchOptions opts;
  opts.beam = 5;
  opts.nbest = 5;
  CtcPrefixBeamSearch search(opts);
  auto together = search.Decode(model, batch, torch::tensor({40, 23}));
  auto alone = search.Decode(model, b, torch::tensor({23}));
  REQUIRE(together.size() == 2);
  REQUIRE(together[1].nbest.size() == alone[0].nbest.size());
  for (size_t i = 0; i < alone[0].nbest.size(); ++i) {
    CHECK(together[1].nbest[i].tokens == alone[0].nbest[i].tokens);
    CHECK(together[1].nbest[i].score == Approx(alone[0].nbest[i].score).epsilon(1e-4));
  }
}

}  // namespace
}  // namespace verbatim
