// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "asr/train/losses.h"

namespace verbatim {
namespace {

// -log P(target | x) by summing over every path of length T (brute force).
double BruteForceCtc(const torch::Tensor& log_probs /* (T, V) */, const std::vector<int>& target) {
  const int64_t t_len = log_probs.size(0), v = log_probs.size(1);
  auto lp = log_probs.accessor<float, 2>();
  double total = 0.0;
  std::vector<int> path(t_len, 0);
  for (int64_t code = 0; code < static_cast<int64_t>(std::pow(v, t_len)); ++code) {
    int64_t c = code;
    double logp = 0.0;
    for (int64_t t = 0; t < t_len; ++t) {
      path[t] = static_cast<int>(c % v);
      c /= v;
      logp += lp[t][path[t]];
    }
    std::vector<int> collapsed;
    for (int64_t t = 0; t < t_len; ++t)
      if (path[t] != 0 && (t == 0 || path[t] != path[t - 1])) collapsed.push_back(path[t]);
    if (collapsed == target) total += std::exp(logp);
  }
  return -std::log(total);
}

TEST_CASE("CTC loss equals brute-force summation over alignments", "[loss]") {
  torch::manual_seed(3);
  auto log_probs = torch::log_softmax(torch::randn({2, 6, 4}), -1);
  auto targets = torch::tensor({{1, 2, 2}, {3, 1, -1}});
  auto input_lengths = torch::tensor({6, 5});
  auto target_lengths = torch::tensor({3, 2});
  const double expected = (BruteForceCtc(log_probs[0], {1, 2, 2}) +
                           BruteForceCtc(log_probs[1].narrow(0, 0, 5), {3, 1})) /
                          2.0;
  const double got = CtcLoss(log_probs, input_lengths, targets, target_lengths).item<double>();
  CHECK(got == Approx(expected).epsilon(1e-5));
}

TEST_CASE("CTC loss ignores impossible utterances instead of returning inf", "[loss]") {
  auto log_probs = torch::log_softmax(torch::randn({1, 2, 4}), -1);
  auto loss =
      CtcLoss(log_probs, torch::tensor({2}), torch::tensor({{1, 2, 3}}), torch::tensor({3}));
  CHECK(std::isfinite(loss.item<double>()));
  CHECK(loss.item<double>() == 0.0);
}

TEST_CASE("label smoothing loss by hand", "[loss]") {
  auto logits = torch::tensor({{{1.0f, 2.0f, 0.5f, -1.0f}, {0.0f, 0.0f, 3.0f, 1.0f}},
                               {{2.0f, -2.0f, 0.0f, 0.3f}, {9.0f, 9.0f, 9.0f, 9.0f}}});
  auto targets = torch::tensor({{1, 2}, {3, -1}});
  const double eps = 0.1;
  double expected = 0.0;
  auto acc = logits.accessor<float, 3>();
  auto tgt = targets.accessor<int64_t, 2>();
  for (int n = 0; n < 2; ++n) {
    for (int l = 0; l < 2; ++l) {
      if (tgt[n][l] < 0) continue;
      double z = 0.0;
      for (int k = 0; k < 4; ++k) z += std::exp(acc[n][l][k]);
      for (int k = 0; k < 4; ++k) {
        const double q = k == tgt[n][l] ? 1.0 - eps : eps / 3.0;
        const double logp = acc[n][l][k] - std::log(z);
        expected += q * (std::log(q) - logp);
      }
    }
  }
  expected /= 2.0;  // per utterance
  CHECK(LabelSmoothingLoss(logits, targets, eps).item<double>() == Approx(expected).epsilon(1e-5));
  // Without smoothing it is the plain cross-entropy.
  auto ce = torch::nn::functional::cross_entropy(
      logits.view({-1, 4}), targets.view({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1).reduction(torch::kSum));
  CHECK(LabelSmoothingLoss(logits, targets, 0.0).item<double>() ==
        Approx(ce.item<double>() / 2.0).epsilon(1e-5));
  CHECK(TokenAccuracy(logits, targets) == Approx(2.0 / 3.0));
}

TEST_CASE("guided attention penalty by hand", "[loss]") {
  const double g = 0.2;
  auto w = GuidedAttentionPenalty(torch::tensor({4, 2}), torch::tensor({10, 5}), 4, 10, g);
  REQUIRE(w.sizes() == torch::IntArrayRef({2, 4, 10}));
  auto expect = [&](double n, double big_n, double t, double big_t) {
    const double d = n / big_n - t / big_t;
    return 1.0 - std::exp(-d * d / (2 * g * g));
  };
  CHECK(w[0][1][3].item<double>() == Approx(expect(1, 4, 3, 10)).epsilon(1e-5));
  CHECK(w[0][3][0].item<double>() == Approx(expect(3, 4, 0, 10)).epsilon(1e-5));
  CHECK(w[0][2][5].item<double>() == Approx(0.0).margin(1e-6));  // on the diagonal
  CHECK(w[1][1][4].item<double>() == Approx(expect(1, 2, 4, 5)).epsilon(1e-5));
  CHECK(w[1][2][0].item<double>() == 0.0);  // beyond the decoder length
  CHECK(w[1][0][7].item<double>() == 0.0);  // beyond the encoder length
}

TEST_CASE("guided attention loss prefers diagonal attention", "[loss]") {
  const int64_t l = 6, t = 12;
  auto diagonal = torch::zeros({1, 2, l, t});
  for (int64_t n = 0; n < l; ++n) diagonal[0].select(1, n).select(1, n * 2).fill_(1.0f);
  auto reversed = diagonal.flip({3});
  GuidedAttentionOptions opts;
  opts.weight = 1.0;
  auto lens_l = torch::tensor({l}), lens_t = torch::tensor({t});
  const double good = GuidedAttentionLoss({diagonal}, lens_l, lens_t, opts).item<double>();
  const double bad = GuidedAttentionLoss({reversed}, lens_l, lens_t, opts).item<double>();
  CHECK(good < 0.05);
  CHECK(bad > 0.3);
  opts.heads = {5};
  CHECK_THROWS(GuidedAttentionLoss({diagonal}, lens_l, lens_t, opts));
  opts.heads = {};
  opts.decay_steps = 100;
  CHECK(opts.WeightAt(0) == 1.0);
  CHECK(opts.WeightAt(50) == Approx(0.5));
  CHECK(opts.WeightAt(500) == 0.0);
}

}  // namespace
}  // namespace verbatim
