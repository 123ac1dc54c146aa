// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_prefix_scorer.h"

#include <algorithm>
#include <limits>

namespace verbatim {
namespace {

constexpr double kLogZero = -std::numeric_limits<double>::infinity();

}  // namespace

CtcPrefixScorer::CtcPrefixScorer(const torch::Tensor& log_probs, const torch::Tensor& lengths,
                                 int64_t blank, int64_t eos)
    : vocab_(log_probs.size(2)), blank_id_(blank), eos_id_(eos) {
  const int64_t frames = log_probs.size(1);
  auto positions = torch::arange(frames, lengths.options().dtype(torch::kInt64)).unsqueeze(0);
  auto pad = (positions >= lengths.to(torch::kInt64).unsqueeze(1)).to(log_probs.device());
  // Past the end, blank is certain: prefix probabilities carry over unchanged.
  auto x = log_probs.detach().masked_fill(pad.unsqueeze(-1), kLogZero);
  x.select(2, blank).masked_fill_(pad, 0.0);
  blank_ = x.select(2, blank).transpose(0, 1).contiguous();
  x_ = x.permute({1, 0, 2}).reshape({frames, -1}).contiguous();
}

CtcPrefixScorer::State CtcPrefixScorer::Initial(const torch::Tensor& utt) const {
  const int64_t frames = x_.size(0), b = utt.size(0);
  State s;
  s.utt = utt;
  s.r = torch::full({frames, 2, b}, kLogZero, x_.options());
  s.r.select(1, 1).copy_(blank_.index_select(1, utt).cumsum(0));
  s.psi = torch::zeros({b}, x_.options());
  s.last = torch::full({b}, eos_id_, utt.options());
  return s;
}

CtcPrefixScorer::Scores CtcPrefixScorer::Score(const State& state,
                                               const torch::Tensor& candidates) const {
  const int64_t frames = x_.size(0), b = candidates.size(0), k = candidates.size(1);
  const auto xs = x_.index_select(1, (state.utt.unsqueeze(1) * vocab_ + candidates).reshape(-1));
  const auto xb = blank_.index_select(1, state.utt)
                      .unsqueeze(2)
                      .expand({frames, b, k})
                      .reshape({frames, b * k});
  const auto r_prev_nb = state.r.select(1, 0), r_prev_b = state.r.select(1, 1);  // (T, B)
  const auto r_sum = torch::logaddexp(r_prev_nb, r_prev_b);
  // phi: probability of the prefix before frame t such that c may follow;
  // repeating the last label needs a blank in between.
  auto phi = r_sum.unsqueeze(2).expand({frames, b, k});
  if (state.length > 0) {
    auto same = (candidates == state.last.unsqueeze(1)).unsqueeze(0);
    phi = torch::where(same, r_prev_b.unsqueeze(2).expand({frames, b, k}), phi);
  }
  phi = phi.reshape({frames, b * k});

  Scores out;
  out.candidates = candidates;
  out.r = torch::full({frames, 2, b * k}, kLogZero, x_.options());
  const int64_t start = std::max<int64_t>(state.length, 1);
  if (start > frames) {  // longer than the utterance: impossible
    out.psi = torch::full({b, k}, kLogZero, x_.options());
    return out;
  }
  auto r_nb = out.r.select(1, 0), r_b = out.r.select(1, 1);
  if (state.length == 0) r_nb[0].copy_(xs[0]);
  for (int64_t t = start; t < frames; ++t) {
    auto nb = r_nb[t], b_t = r_b[t];  // views into out.r
    torch::logaddexp_out(nb, r_nb[t - 1], phi[t - 1]).add_(xs[t]);
    torch::logaddexp_out(b_t, r_nb[t - 1], r_b[t - 1]).add_(xb[t]);
  }
  // psi: c first emitted at some frame t >= start, or by frame start - 1.
  auto first = phi.narrow(0, start - 1, frames - start) + xs.narrow(0, start, frames - start);
  auto psi = torch::logsumexp(torch::cat({r_nb[start - 1].unsqueeze(0), first}, 0), 0);
  psi = psi.reshape({b, k});
  auto full = r_sum[frames - 1].unsqueeze(1).expand({b, k});
  psi = torch::where(candidates == eos_id_, full, psi);
  out.psi = psi.masked_fill(candidates == blank_id_, kLogZero);
  return out;
}

CtcPrefixScorer::State CtcPrefixScorer::Select(const State& state, const Scores& scores,
                                               const torch::Tensor& rows,
                                               const torch::Tensor& ks) const {
  const auto flat = rows * scores.candidates.size(1) + ks;
  State s;
  s.r = scores.r.index_select(2, flat);
  s.psi = scores.psi.reshape(-1).index_select(0, flat);
  s.last = scores.candidates.reshape(-1).index_select(0, flat);
  s.utt = state.utt.index_select(0, rows);
  s.length = state.length + 1;
  return s;
}

}  // namespace verbatim
