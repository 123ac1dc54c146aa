// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tests/reference/naive_beam_search.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <string>

#include "asr/search/attention_beam_search.h"
#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

// The batched search (key/value cache, grouped cross-attention, vectorized
// CTC prefix scores) against the naive reference (one hypothesis at a time,
// full decoder on the whole prefix, scalar CTC recursion in doubles), over
// several option sets and a padded batch of three utterances.
TEST_CASE("batched beam search equals the naive reference search", "[search]") {
  torch::manual_seed(21);
  AsrModel model(test::TinySearchModel(9));
  const std::vector<int64_t> lengths = {80, 47, 29};
  auto feats = torch::randn({3, 80, 8});  // the padding is garbage
  struct Case {
    const char* name;
    SearchOptions opts;
  };
  std::vector<Case> cases;
  for (double weight : {0.0, 0.3, 0.7, 1.0}) {
    SearchOptions o;
    o.beam = 4;  // pre-beam 6 < vocabulary 9
    o.nbest = 3;
    o.ctc_weight = weight;
    cases.push_back({"ctc_weight", o});
  }
  SearchOptions bonus;
  bonus.beam = 3;
  bonus.nbest = 2;
  bonus.length_bonus = 0.5;
  bonus.max_length_ratio = 0.5;
  bonus.min_length_ratio = 0.1;
  cases.push_back({"length bonus and limits", bonus});
  SearchOptions normalized;
  normalized.beam = 5;
  normalized.nbest = 5;
  normalized.pre_beam = 3;
  normalized.length_normalize = true;
  cases.push_back({"length normalization", normalized});
  for (const Case& c : cases) {
    auto fast = AttentionBeamSearch(c.opts).Decode(model, feats, torch::tensor(lengths));
    auto naive = NaiveBeamSearch(c.opts).Decode(model, feats, torch::tensor(lengths));
    REQUIRE(fast.size() == 3);
    REQUIRE(naive.size() == 3);
    for (size_t n = 0; n < 3; ++n) {
      INFO(c.name << ", ctc_weight " << c.opts.ctc_weight << ", utterance " << n);
      REQUIRE(!naive[n].nbest.empty());
      REQUIRE(fast[n].nbest.size() == naive[n].nbest.size());
      for (size_t i = 0; i < naive[n].nbest.size(); ++i) {
        const Hypothesis &f = fast[n].nbest[i], &s = naive[n].nbest[i];
        CHECK(f.tokens == s.tokens);
        CHECK(f.score == Approx(s.score).epsilon(1e-4));
        CHECK(f.attention_score == Approx(s.attention_score).epsilon(1e-4));
        CHECK(f.ctc_score == Approx(s.ctc_score).epsilon(1e-4));
      }
    }
  }
}

}  // namespace
}  // namespace verbatim
