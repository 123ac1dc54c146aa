// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_prefix_scorer.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "asr/model/asr_model.h"
#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

bool StartsWith(const std::vector<int>& seq, const std::vector<int>& prefix) {
  return seq.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), seq.begin());
}

// Brute-force psi(prefix + c): sum over all label sequences starting with it,
// or, for c = <eos>, the probability of exactly `prefix`.
double BrutePsi(const std::map<std::vector<int>, double>& probs, std::vector<int> prefix, int c) {
  if (c == kSosEosId) return probs.count(prefix) ? probs.at(prefix) : 0.0;
  prefix.push_back(c);
  double sum = 0.0;
  for (const auto& [labels, p] : probs)
    if (StartsWith(labels, prefix)) sum += p;
  return sum;
}

TEST_CASE("CTC prefix score equals brute-force summation over alignments", "[search]") {
  torch::manual_seed(8);
  const int64_t vocab = 5, frames = 6;
  // Two utterances of 6 and 4 frames in one padded batch (garbage padding).
  auto log_probs = torch::log_softmax(2.0 * torch::randn({2, frames, vocab}), -1);
  const std::vector<int64_t> lengths = {6, 4};
  std::vector<std::map<std::vector<int>, double>> brute;
  for (int64_t n = 0; n < 2; ++n)
    brute.push_back(test::BruteForceCtc(log_probs[n].narrow(0, 0, lengths[n])));
  CtcPrefixScorer scorer(log_probs, torch::tensor(lengths), kBlankId, kSosEosId);

  // Prefixes of one length per round (tokens 1, 3, 4; 2 is <eos>), each for both utterances.
  const std::vector<std::vector<std::vector<int>>> rounds = {
      {{}},           {{3}, {1}, {4}},  {{3, 3}, {3, 4}, {1, 3}}, {{3, 3, 3}, {4, 1, 4}},
      {{3, 4, 3, 4}}, {{1, 3, 4, 3, 1}}};
  auto all = torch::arange(vocab).unsqueeze(0);
  for (const auto& prefixes : rounds) {
    std::vector<int64_t> utt;
    std::vector<std::vector<int>> rows;
    for (int64_t n = 0; n < 2; ++n)
      for (const auto& p : prefixes) {
        utt.push_back(n);
        rows.push_back(p);
      }
    const int64_t b = static_cast<int64_t>(rows.size());
    auto state = scorer.Initial(torch::tensor(utt));
    const size_t length = rows[0].size();
    for (size_t l = 0; l < length; ++l) {  // grow each row's prefix one token at a time
      auto next = torch::empty({b, 1}, torch::kInt64);
      for (int64_t r = 0; r < b; ++r) next[r][0] = rows[r][l];
      auto scores = scorer.Score(state, next);
      state = scorer.Select(state, scores, torch::arange(b), torch::zeros({b}, torch::kInt64));
    }
    auto scores = scorer.Score(state, all.expand({b, vocab}).contiguous());
    for (int64_t r = 0; r < b; ++r)
      for (int c = 0; c < vocab; ++c) {
        const double expected = c == kBlankId ? 0.0 : BrutePsi(brute[utt[r]], rows[r], c);
        const double got = std::exp(scores.psi[r][c].item<double>());
        INFO("utterance " << utt[r] << " prefix length " << length << " candidate " << c);
        CHECK(got == Approx(expected).epsilon(1e-4).margin(1e-9));
      }
  }
}

}  // namespace
}  // namespace verbatim
