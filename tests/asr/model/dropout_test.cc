// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/dropout.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "tests/asr/torch_test_util.h"

namespace verbatim {
namespace {

constexpr int64_t kElements = 1 << 20;

// Fraction of zeros in `y`.
double DroppedFraction(const torch::Tensor& y) {
  return y.eq(0).to(torch::kFloat64).mean().item<double>();
}

}  // namespace

TEST_CASE("dropout zeroes with probability p and scales the rest by 1 / (1 - p)", "[dropout]") {
  const double p = GENERATE(0.1, 0.5);
  Dropout dropout(p);
  dropout->train();
  const auto x = torch::ones({kElements});
  const auto y = dropout->forward(x);
  // 10 standard deviations of a binomial fraction over 2^20 elements.
  const double tolerance = 10 * std::sqrt(p * (1 - p) / kElements);
  CHECK(std::abs(DroppedFraction(y) - p) < tolerance);
  const auto kept = y.masked_select(y.ne(0));
  CHECK(kept.eq(static_cast<float>(1.0 / (1.0 - p))).all().item<bool>());
  // LibTorch's own dropout as the reference for the same statistics.
  const auto reference = torch::dropout(x, p, /*train=*/true);
  CHECK(std::abs(DroppedFraction(reference) - p) < tolerance);
  CHECK(std::abs(y.mean().item<double>() - 1.0) < 10 * std::sqrt(p / (1 - p) / kElements));
}

TEST_CASE("dropout masks of neighbouring elements are independent", "[dropout]") {
  // Elements 2w and 2w + 1 come from the two halves of one 64-bit number.
  Dropout dropout(0.5);
  dropout->train();
  const auto dropped = dropout->forward(torch::ones({kElements})).eq(0).to(torch::kFloat64);
  const auto pairs = dropped.view({-1, 2});
  const double both_in_word = (pairs.select(1, 0) * pairs.select(1, 1)).mean().item<double>();
  const double both_across = (dropped.slice(0, 1, kElements - 1).view({-1, 2}).select(1, 0) *
                              dropped.slice(0, 1, kElements - 1).view({-1, 2}).select(1, 1))
                                 .mean()
                                 .item<double>();
  const double tolerance = 10 * std::sqrt(0.25 * 0.75 / (kElements / 2));
  CHECK(std::abs(both_in_word - 0.25) < tolerance);
  CHECK(std::abs(both_across - 0.25) < tolerance);
  // Two calls draw two different masks.
  const auto again = dropout->forward(torch::ones({kElements})).eq(0).to(torch::kFloat64);
  CHECK(std::abs((dropped * again).mean().item<double>() - 0.25) < 2 * tolerance);
}

TEST_CASE("dropout masks follow torch::manual_seed, whatever the thread count", "[dropout]") {
  test::ThreadGuard guard;
  Dropout dropout(0.1);
  dropout->train();
  const auto x = torch::randn({3, 1001, 7});  // an odd number of elements
  torch::set_num_threads(1);
  torch::manual_seed(42);
  const auto one_thread = dropout->forward(x);
  torch::set_num_threads(2);
  torch::manual_seed(42);
  const auto two_threads = dropout->forward(x);
  CHECK(torch::equal(one_thread, two_threads));
  CHECK_FALSE(torch::equal(dropout->forward(x), two_threads));
}

TEST_CASE("dropout passes gradients through the kept elements only", "[dropout]") {
  Dropout dropout(0.3);
  dropout->train();
  const auto x = torch::rand({64, 33}).add(0.5).requires_grad_(true);
  const auto y = dropout->forward(x);
  const auto upstream = torch::randn({64, 33});
  y.backward(upstream);
  const auto scale = (y / x).detach();  // 0 or 1 / 0.7 per element
  CHECK(torch::allclose(x.grad(), upstream * scale));
  CHECK(scale.ne(0).logical_and(scale.sub(1 / 0.7).abs().gt(1e-5)).sum().item<int64_t>() == 0);
}

TEST_CASE("dropout is the identity in eval mode and at p = 0", "[dropout]") {
  const auto x = torch::randn({8, 5});
  Dropout dropout(0.2);
  dropout->eval();
  CHECK(dropout->forward(x).is_same(x));
  Dropout none(0.0);
  none->train();
  CHECK(none->forward(x).is_same(x));
}

TEST_CASE("dropout keeps bfloat16 inputs in bfloat16", "[dropout]") {
  Dropout dropout(0.1);
  dropout->train();
  const auto y = dropout->forward(torch::ones({kElements}, torch::kBFloat16));
  CHECK(y.scalar_type() == torch::kBFloat16);
  CHECK(std::abs(DroppedFraction(y) - 0.1) < 10 * std::sqrt(0.09 / kElements));
}

TEST_CASE("dropout below 0 or from 1 is a clear error", "[dropout]") {
  CHECK_THROWS_WITH(Dropout(1.0), Catch::Contains("dropout 1.000000 is not in [0, 1)"));
  CHECK_THROWS_WITH(Dropout(-0.1), Catch::Contains("is not in [0, 1)"));
}

}  // namespace verbatim
