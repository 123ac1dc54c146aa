// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_greedy_search.h"

#include <torch/torch.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

// Best path by hand: argmax of each frame, collapse repeats, drop blanks.
std::vector<int> ArgmaxCollapse(const torch::Tensor& log_probs, int64_t frames) {
  std::vector<int> out;
  int previous = -1;
  for (int64_t t = 0; t < frames; ++t) {
    const auto row = log_probs[t].contiguous();
    const float* p = row.data_ptr<float>();
    const int best = static_cast<int>(std::max_element(p, p + row.size(0)) - p);
    if (best != 0 && best != previous) out.push_back(best);
    previous = best;
  }
  return out;
}

TEST_CASE("CTC greedy search collapses a known best path", "[search]") {
  // Argmax per frame: 0 3 3 0 3 4 4 1 -> tokens 3 3 4 1.
  const std::vector<int> path = {0, 3, 3, 0, 3, 4, 4, 1};
  auto log_probs = torch::full({1, 8, 5}, -5.0f);
  for (size_t t = 0; t < path.size(); ++t) log_probs[0][t][path[t]] = -0.1f;
  auto results = CtcGreedy(log_probs, torch::tensor({8}));
  REQUIRE(results.size() == 1);
  CHECK(results[0].nbest.at(0).tokens == std::vector<int>({3, 3, 4, 1}));
  CHECK(results[0].nbest[0].ctc_score == Approx(-0.8).epsilon(1e-6));
  // Frames past the length are ignored.
  auto short_results = CtcGreedy(log_probs, torch::tensor({3}));
  CHECK(short_results[0].nbest.at(0).tokens == std::vector<int>({3}));
}

TEST_CASE("CTC greedy search equals argmax collapse by hand, batched", "[search]") {
  torch::manual_seed(3);
  const int64_t n = 4, frames = 30, vocab = 4;
  auto log_probs = torch::log_softmax(torch::randn({n, frames, vocab}), -1);
  auto lengths = torch::tensor({30, 17, 1, 25});
  auto results = CtcGreedy(log_probs, lengths);
  REQUIRE(results.size() == static_cast<size_t>(n));
  bool saw_repeat = false;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t len = lengths[i].item<int64_t>();
    CHECK(results[i].nbest.at(0).tokens == ArgmaxCollapse(log_probs[i], len));
    const double best_path =
        std::get<0>(log_probs[i].narrow(0, 0, len).max(-1)).sum().item<double>();
    CHECK(results[i].nbest[0].ctc_score == Approx(best_path).epsilon(1e-5));
    const auto& tk = results[i].nbest[0].tokens;
    for (size_t j = 1; j < tk.size(); ++j) saw_repeat |= tk[j] == tk[j - 1];
  }
  CHECK(saw_repeat);  // the data exercise blank-separated repeats
}

TEST_CASE("CTC greedy search on a model equals greedy on its CTC output", "[search]") {
  torch::manual_seed(4);
  AsrModel model(test::TinySearchModel(7));
  auto feats = torch::randn({2, 40, 8});
  auto lengths = torch::tensor({40, 27});
  CtcGreedySearch search;
  auto results = search.Decode(model, feats, lengths);
  torch::NoGradGuard no_grad;
  auto enc = model->Encode(feats, lengths);
  auto lp = model->CtcLogProbs(enc.out);
  for (int64_t i = 0; i < 2; ++i)
    CHECK(results[i].nbest.at(0).tokens == ArgmaxCollapse(lp[i], enc.lengths[i].item<int64_t>()));
}

}  // namespace
}  // namespace verbatim
