// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/ctc_prefix_scorer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "asr/search/log_probability.h"

namespace verbatim {
namespace {

// log(exp(a) + exp(b)) as torch::logaddexp computes it, skipping exp() when
// one side is log 0.
inline float LogAddExp(float a, float b) {
  if (a == -std::numeric_limits<float>::infinity()) return b;
  if (b == -std::numeric_limits<float>::infinity()) return a;
  return std::max(a, b) + std::log1p(std::exp(-std::fabs(a - b)));
}

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
  Scores out;
  out.candidates = candidates;
  const int64_t start = std::max<int64_t>(state.length, 1);
  if (start > frames) {  // longer than the utterance: impossible
    out.psi = torch::full({b, k}, kLogZero, x_.options());
    return out;
  }
  const auto columns = state.utt.unsqueeze(1) * vocab_ + candidates;   // (B, K)
  const auto r_nb = state.r.select(1, 0), r_b = state.r.select(1, 1);  // (T, B)
  const auto r_sum = torch::logaddexp(r_nb, r_b);
  // psi: c first emitted at some frame t >= start after the prefix seen by
  // frame t - 1 (phi), or, for the empty prefix, at frame 0. Repeating the
  // last label needs a blank in between: phi is then the blank-ending part.
  const int64_t n = frames - start;
  const auto xs = x_.narrow(0, start, n).index_select(1, columns.reshape(-1)).view({n, b, k});
  auto psi = torch::logsumexp(r_sum.narrow(0, start - 1, n).unsqueeze(2) + xs, 0);  // (B, K)
  if (state.length == 0) {
    psi = torch::logaddexp(psi, x_[0].index_select(0, columns.reshape(-1)).view({b, k}));
  } else {
    const auto last_columns = state.utt * vocab_ + state.last;  // (B)
    const auto repeat = torch::logsumexp(
        r_b.narrow(0, start - 1, n) + x_.narrow(0, start, n).index_select(1, last_columns), 0);
    psi = torch::where(candidates == state.last.unsqueeze(1), repeat.unsqueeze(1), psi);
  }
  psi = torch::where(candidates == eos_id_, r_sum[frames - 1].unsqueeze(1).expand({b, k}), psi);
  out.psi = psi.masked_fill(candidates == blank_id_, kLogZero);
  return out;
}

CtcPrefixScorer::State CtcPrefixScorer::Select(const State& state, const Scores& scores,
                                               const torch::Tensor& rows,
                                               const torch::Tensor& ks) const {
  const auto flat = rows * scores.candidates.size(1) + ks;
  State s;
  s.psi = scores.psi.reshape(-1).index_select(0, flat);
  s.last = scores.candidates.reshape(-1).index_select(0, flat);
  s.utt = state.utt.index_select(0, rows);
  s.r = Forward(state, rows, s.last);
  s.length = state.length + 1;
  return s;
}

torch::Tensor CtcPrefixScorer::Forward(const State& state, const torch::Tensor& rows,
                                       const torch::Tensor& tokens) const {
  if (x_.device().is_cpu() && x_.scalar_type() == torch::kFloat32)
    return ForwardCpu(state, rows, tokens);
  const int64_t frames = x_.size(0), b = rows.size(0);
  auto out = torch::full({frames, 2, b}, kLogZero, x_.options());
  const int64_t start = std::max<int64_t>(state.length, 1);
  if (start > frames) return out;
  const auto utt = state.utt.index_select(0, rows);
  const auto xs = x_.index_select(1, utt * vocab_ + tokens);  // (T, B')
  const auto xb = blank_.index_select(1, utt);                // (T, B')
  const auto r = state.r.index_select(2, rows);
  auto phi = torch::logaddexp(r.select(1, 0), r.select(1, 1));
  if (state.length > 0) {
    const auto same = (tokens == state.last.index_select(0, rows)).unsqueeze(0);
    phi = torch::where(same, r.select(1, 1), phi);
  }
  auto r_nb = out.select(1, 0), r_b = out.select(1, 1);
  if (state.length == 0) r_nb[0].copy_(xs[0]);
  for (int64_t t = start; t < frames; ++t) {
    auto nb = r_nb[t], b_t = r_b[t];  // views into out
    torch::logaddexp_out(nb, r_nb[t - 1], phi[t - 1]).add_(xs[t]);
    torch::logaddexp_out(b_t, r_nb[t - 1], r_b[t - 1]).add_(xb[t]);
  }
  return out;
}

torch::Tensor CtcPrefixScorer::ForwardCpu(const State& state, const torch::Tensor& rows,
                                          const torch::Tensor& tokens) const {
  const int64_t frames = x_.size(0), b = rows.size(0), width = x_.size(1);
  const int64_t parents = state.r.size(2);
  auto out = torch::full({frames, 2, b}, kLogZero, x_.options());
  const int64_t start = std::max<int64_t>(state.length, 1);
  if (start > frames || b == 0) return out;
  const auto rows_c = rows.to(torch::kCPU).contiguous();
  const auto tokens_c = tokens.to(torch::kCPU).contiguous();
  const auto utt_c = state.utt.to(torch::kCPU).contiguous();
  const auto last_c = state.last.to(torch::kCPU).contiguous();
  const int64_t* row = rows_c.data_ptr<int64_t>();
  const int64_t* token = tokens_c.data_ptr<int64_t>();
  std::vector<int64_t> column(b), utt(b);
  std::vector<char> repeat(b);
  for (int64_t j = 0; j < b; ++j) {
    utt[j] = utt_c.data_ptr<int64_t>()[row[j]];
    column[j] = utt[j] * vocab_ + token[j];
    repeat[j] = state.length > 0 && last_c.data_ptr<int64_t>()[row[j]] == token[j];
  }
  const auto parent = state.r.contiguous();
  const float* x = x_.data_ptr<float>();
  const float* xb = blank_.data_ptr<float>();
  const float* pr = parent.data_ptr<float>();
  float* o = out.data_ptr<float>();
  const int64_t n_utts = blank_.size(1);
  // Row t of out / parent: [non-blank of every column, blank of every column].
  if (state.length == 0)
    for (int64_t j = 0; j < b; ++j) o[j] = x[column[j]];
  for (int64_t t = start; t < frames; ++t) {
    const float* prev = o + (t - 1) * 2 * b;
    const float* parent_prev = pr + (t - 1) * 2 * parents;
    float* cur = o + t * 2 * b;
    for (int64_t j = 0; j < b; ++j) {
      const float p_nb = parent_prev[row[j]], p_b = parent_prev[parents + row[j]];
      const float phi = repeat[j] ? p_b : LogAddExp(p_nb, p_b);
      cur[j] = LogAddExp(prev[j], phi) + x[t * width + column[j]];
      cur[b + j] = LogAddExp(prev[j], prev[b + j]) + xb[t * n_utts + utt[j]];
    }
  }
  return out;
}

}  // namespace verbatim
