// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// ValidationAccumulator: word errors of hypotheses counted by hand, loss
// means, and sums over ranks giving the same result as one pass.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/train/validation.h"

namespace verbatim {
namespace {

std::string Words(const std::vector<int>& ids) {
  std::string text;
  for (int id : ids) text += (text.empty() ? "w" : " w") + std::to_string(id);
  return text;
}

TEST_CASE("validation counts CTC greedy word errors against the references", "[validation]") {
  ValidationAccumulator acc(Words);
  REQUIRE(acc.wants_hypotheses());
  // References (padded with -1): [3 4 5] and [6].
  const torch::Tensor tokens = torch::tensor({3, 4, 5, 6, -1, -1}, torch::kInt64).view({2, 3});
  const torch::Tensor lengths = torch::tensor({3, 1}, torch::kInt64);
  LossValues loss;
  loss.total = 2.0;
  loss.accuracy = 0.5;
  loss.batches = 1;
  // One deletion (4) and one insertion (7): 2 errors over 4 reference words.
  acc.Add(loss, tokens, lengths, {{3, 5}, {7, 6}});
  ValidationResult r = acc.Result();
  CHECK(r.has_wer);
  CHECK(r.words.ref_tokens == 4);
  CHECK(r.words.deletions == 1);
  CHECK(r.words.insertions == 1);
  CHECK(r.words.substitutions == 0);
  CHECK(r.WerPercent() == Approx(50.0));
  loss.total = 4.0;
  loss.accuracy = 1.0;
  acc.Add(loss, tokens, lengths, {{3, 4, 5}, {8}});  // one substitution
  r = acc.Result();
  CHECK(r.loss.total == Approx(3.0));  // mean over batches
  CHECK(r.loss.accuracy == Approx(0.75));
  CHECK(r.WerPercent() == Approx(100.0 * 3 / 8));
  // Two ranks with the same share: summed, the same means and rate.
  std::vector<double> packed = acc.Pack();
  for (double& v : packed) v *= 2;
  const ValidationResult both = acc.FromPacked(packed);
  CHECK(both.loss.total == Approx(3.0));
  CHECK(both.words.ref_tokens == 16);
  CHECK(both.WerPercent() == Approx(r.WerPercent()));
}

TEST_CASE("validation without a detokenizer reports no WER", "[validation]") {
  ValidationAccumulator acc(nullptr);
  CHECK_FALSE(acc.wants_hypotheses());
  LossValues loss;
  loss.total = 1.0;
  loss.batches = 1;
  acc.Add(loss, torch::zeros({1, 1}, torch::kInt64), torch::ones({1}, torch::kInt64), {});
  CHECK_FALSE(acc.Result().has_wer);
  CHECK(acc.Result().loss.total == 1.0);
}

}  // namespace
}  // namespace verbatim
