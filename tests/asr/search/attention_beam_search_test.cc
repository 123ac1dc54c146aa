// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/attention_beam_search.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <limits>

#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

// Every token sequence over `tokens` of length <= max_length.
std::vector<std::vector<int>> AllSequences(const std::vector<int>& tokens, size_t max_length) {
  std::vector<std::vector<int>> out = {{}};
  for (size_t begin = 0; begin < out.size(); ++begin) {
    if (out[begin].size() == max_length) continue;
    for (int t : tokens) {
      auto s = out[begin];
      s.push_back(t);
      out.push_back(s);
    }
  }
  return out;
}

TEST_CASE("wide beam search is at least as good as exhaustive search", "[search]") {
  torch::manual_seed(9);
  AsrModel model(test::TinySearchModel(6));
  model->eval();
  torch::NoGradGuard no_grad;
  auto feats = torch::randn({1, 30, 8});
  auto enc = model->Encode(feats, torch::tensor({30}));
  const int64_t frames = enc.lengths[0].item<int64_t>();
  REQUIRE(frames == 6);
  auto lp = model->CtcLogProbs(enc.out)[0];
  // Every output of up to 3 tokens (<unk> is an output like any other).
  const auto candidates = AllSequences({1, 3, 4, 5}, 3);
  std::vector<double> ctc, att;
  for (const auto& y : candidates) {
    ctc.push_back(test::TorchCtcLogLikelihood(lp, y));
    att.push_back(test::StepwiseAttentionLogLikelihood(model, enc, 0, y));
  }
  for (double weight : {0.0, 0.3, 1.0}) {
    double exhaustive = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < candidates.size(); ++i)
      exhaustive = std::max(exhaustive, weight * ctc[i] + (1 - weight) * att[i]);
    SearchOptions opts;
    opts.beam = 400;  // more than all prefixes: the search cannot lose the best
    opts.pre_beam = 6;
    opts.nbest = 10;
    opts.ctc_weight = weight;
    opts.max_length_ratio = 0.5;  // 3 tokens
    auto results = AttentionBeamSearch(opts).DecodeEncoded(model, enc);
    REQUIRE(results.size() == 1);
    REQUIRE(results[0].nbest.size() == 10);
    const Hypothesis& best = results[0].nbest[0];
    INFO("ctc_weight " << weight);
    CHECK(best.score >= exhaustive - 1e-4);
    // The reported scores agree with independent computations.
    for (const auto& h : results[0].nbest) {
      REQUIRE(h.tokens.size() <= 3);
      const size_t i =
          std::find(candidates.begin(), candidates.end(), h.tokens) - candidates.begin();
      REQUIRE(i < candidates.size());
      CHECK(h.score == Approx(weight * ctc[i] + (1 - weight) * att[i]).epsilon(1e-4));
      if (weight > 0) CHECK(h.ctc_score == Approx(ctc[i]).epsilon(1e-4));
      if (weight < 1) CHECK(h.attention_score == Approx(att[i]).epsilon(1e-4));
    }
    for (size_t i = 1; i < results[0].nbest.size(); ++i)
      CHECK(results[0].nbest[i - 1].score >= results[0].nbest[i].score);
  }
}

TEST_CASE("batched beam search equals one utterance at a time", "[search]") {
  torch::manual_seed(10);
  AsrModel model(test::TinySearchModel(8));
  const std::vector<int64_t> lengths = {70, 41, 25};
  auto batch = torch::randn({3, 70, 8});  // the padding is garbage
  for (double weight : {0.0, 0.3}) {
    SearchOptions opts;
    opts.beam = 4;  // pre-beam 6 < vocabulary 8
    opts.nbest = 3;
    opts.ctc_weight = weight;
    AttentionBeamSearch search(opts);
    auto together = search.Decode(model, batch, torch::tensor(lengths));
    REQUIRE(together.size() == 3);
    for (int64_t n = 0; n < 3; ++n) {
      auto alone = search.Decode(model, batch.narrow(0, n, 1).narrow(1, 0, lengths[n]),
                                 torch::tensor({lengths[n]}));
      INFO("ctc_weight " << weight << " utterance " << n);
      REQUIRE(alone[0].nbest.size() == together[n].nbest.size());
      CHECK(!alone[0].nbest.empty());
      for (size_t i = 0; i < alone[0].nbest.size(); ++i) {
        CHECK(together[n].nbest[i].tokens == alone[0].nbest[i].tokens);
        CHECK(together[n].nbest[i].score == Approx(alone[0].nbest[i].score).epsilon(1e-4));
        CHECK(together[n].nbest[i].ctc_score == Approx(alone[0].nbest[i].ctc_score).epsilon(1e-4));
      }
    }
  }
}

TEST_CASE("beam search respects the length limits", "[search]") {
  torch::manual_seed(11);
  AsrModel model(test::TinySearchModel(6));
  auto feats = torch::randn({2, 60, 8});
  SearchOptions opts;
  opts.beam = 3;
  opts.nbest = 3;
  opts.max_length_ratio = 0.2;
  opts.min_length_ratio = 0.15;
  opts.length_bonus = 1.0;  // pushes towards long outputs
  auto results = AttentionBeamSearch(opts).Decode(model, feats, torch::tensor({60, 45}));
  torch::NoGradGuard no_grad;
  auto enc = model->Encode(feats, torch::tensor({60, 45}));
  for (int64_t n = 0; n < 2; ++n) {
    const int64_t frames = enc.lengths[n].item<int64_t>();
    REQUIRE(!results[n].nbest.empty());
    for (const auto& h : results[n].nbest) {
      CHECK(h.tokens.size() <= static_cast<size_t>(opts.MaxLength(frames)));
      CHECK(h.tokens.size() >= static_cast<size_t>(opts.MinLength(frames)));
      for (int t : h.tokens) CHECK((t != kBlankId && t != kSosEosId));
    }
  }
}

TEST_CASE("bad search options are clear errors", "[search]") {
  SearchOptions opts;
  opts.ctc_weight = 1.5;
  CHECK_THROWS_WITH(AttentionBeamSearch(opts), Catch::Contains("ctc_weight"));
  opts = SearchOptions();
  opts.nbest = 20;
  CHECK_THROWS_WITH(AttentionBeamSearch(opts), Catch::Contains("nbest"));
  opts = SearchOptions();
  opts.beam = 0;
  CHECK_THROWS_WITH(AttentionBeamSearch(opts), Catch::Contains("beam"));
}

}  // namespace
}  // namespace verbatim

namespace verbatim {
namespace {

// Timing only (hidden): a default-sized model, 8 utterances of 10 s.
TEST_CASE("beam search speed, batched and one at a time", "[.][search-perf]") {
  torch::manual_seed(14);
  ModelOptions o;
  o.vocab_size = 500;
  AsrModel model(o);
  const int64_t n = 8;
  auto feats = torch::randn({n, 1000, 80});
  auto lengths = torch::full({n}, 1000, torch::kInt64);
  auto seconds = [](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (double weight : {0.0, 0.3}) {
    SearchOptions opts;
    opts.beam = 10;
    opts.ctc_weight = weight;
    opts.max_length_ratio = 0.2;  // a random model rarely ends: 49 tokens at most
    AttentionBeamSearch search(opts);
    std::vector<SearchResult> batched, alone;
    const double t_batch = seconds([&] { batched = search.Decode(model, feats, lengths); });
    const double t_alone = seconds([&] {
      for (int64_t i = 0; i < n; ++i)
        alone.push_back(search.Decode(model, feats.narrow(0, i, 1), lengths.narrow(0, i, 1))[0]);
    });
    WARN("ctc_weight " << weight << ": batched " << t_batch << " s, one at a time " << t_alone
                       << " s");
    for (int64_t i = 0; i < n; ++i)
      CHECK(batched[i].nbest.at(0).tokens == alone[i].nbest.at(0).tokens);
  }
}

}  // namespace
}  // namespace verbatim
