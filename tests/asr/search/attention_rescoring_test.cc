// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/attention_rescoring.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <limits>

#include "asr/search/ctc_prefix_beam_search.h"
#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

TEST_CASE("attention rescoring picks the best combined score of the CTC n-best", "[search]") {
  torch::manual_seed(12);
  AsrModel model(test::TinySearchModel(7));
  auto feats = torch::randn({2, 50, 8});
  auto lengths = torch::tensor({50, 31});
  SearchOptions opts;
  opts.beam = 6;
  opts.nbest = 6;
  opts.ctc_weight = 0.3;
  auto rescored = AttentionRescoring(opts).Decode(model, feats, lengths);
  auto ctc_nbest = CtcPrefixBeamSearch(opts).Decode(model, feats, lengths);
  torch::NoGradGuard no_grad;
  auto enc = model->Encode(feats, lengths);
  REQUIRE(rescored.size() == 2);
  bool order_changed = false;
  for (int64_t n = 0; n < 2; ++n) {
    INFO("utterance " << n);
    REQUIRE(rescored[n].nbest.size() == ctc_nbest[n].nbest.size());
    double best = -std::numeric_limits<double>::infinity();
    std::vector<int> best_tokens;
    for (const auto& h : ctc_nbest[n].nbest) {
      const double att = test::StepwiseAttentionLogLikelihood(model, enc, n, h.tokens);
      const double combined = 0.3 * h.ctc_score + 0.7 * att;
      if (combined > best) best = combined, best_tokens = h.tokens;
    }
    CHECK(rescored[n].nbest[0].tokens == best_tokens);
    CHECK(rescored[n].nbest[0].score == Approx(best).epsilon(1e-4));
    for (const auto& h : rescored[n].nbest)
      CHECK(h.attention_score ==
            Approx(test::StepwiseAttentionLogLikelihood(model, enc, n, h.tokens)).epsilon(1e-4));
    for (size_t i = 1; i < rescored[n].nbest.size(); ++i)
      CHECK(rescored[n].nbest[i - 1].score >= rescored[n].nbest[i].score);
    order_changed |= rescored[n].nbest[0].tokens != ctc_nbest[n].nbest[0].tokens;
  }
  WARN("rescoring changed the CTC top hypothesis: " << order_changed);
  // From an encoder output (what decode and transcribe do): the same.
  const auto from_enc = AttentionRescoring(opts).DecodeEncoded(model, enc);
  REQUIRE(from_enc.size() == rescored.size());
  for (size_t n = 0; n < rescored.size(); ++n) {
    REQUIRE(from_enc[n].nbest.size() == rescored[n].nbest.size());
    for (size_t i = 0; i < rescored[n].nbest.size(); ++i) {
      CHECK(from_enc[n].nbest[i].tokens == rescored[n].nbest[i].tokens);
      CHECK(from_enc[n].nbest[i].score == Approx(rescored[n].nbest[i].score).epsilon(1e-5));
    }
  }
}

TEST_CASE("attention rescoring with ctc_weight 1 keeps the CTC order", "[search]") {
  torch::manual_seed(13);
  AsrModel model(test::TinySearchModel(7));
  auto feats = torch::randn({1, 40, 8});
  SearchOptions opts;
  opts.beam = 5;
  opts.nbest = 5;
  opts.ctc_weight = 1.0;
  auto rescored = AttentionRescoring(opts).Decode(model, feats, torch::tensor({40}));
  auto ctc = CtcPrefixBeamSearch(opts).Decode(model, feats, torch::tensor({40}));
  REQUIRE(rescored[0].nbest.size() == ctc[0].nbest.size());
  for (size_t i = 0; i < ctc[0].nbest.size(); ++i)
    CHECK(rescored[0].nbest[i].tokens == ctc[0].nbest[i].tokens);
}

}  // namespace
}  // namespace verbatim
