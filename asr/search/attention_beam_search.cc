// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/attention_beam_search.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "asr/search/ctc_prefix_scorer.h"

namespace verbatim {
namespace {

// A running hypothesis (one row of the decoder batch).
struct Row {
  int64_t utt = 0;
  std::vector<int> tokens;
  double score = 0.0, att = 0.0, ctc = 0.0;
};

struct Utterance {
  int max_length = 1, min_length = 0;
  std::vector<Hypothesis> ended;
};

// One step's scores of the K candidates of every row, on the CPU.
struct StepScores {
  torch::Tensor joint;       // (B, K) double: score increment, -inf when not allowed
  torch::Tensor candidates;  // (B, K) int64
  torch::Tensor att;         // (B, K) double: log P_att(candidate | prefix)
  torch::Tensor ctc;         // (B, K) double: log psi_ctc(prefix + candidate)
};

// Which tokens each row may take next: never blank, <eos> only from the
// minimum length on, nothing but <eos> at the maximum length.
torch::Tensor AllowedTokens(const std::vector<Row>& rows, const std::vector<Utterance>& utts,
                            int64_t step, int64_t vocab) {
  auto allowed = torch::ones({static_cast<int64_t>(rows.size()), vocab}, torch::kBool);
  auto a = allowed.accessor<bool, 2>();
  for (size_t r = 0; r < rows.size(); ++r) {
    const Utterance& u = utts[rows[r].utt];
    if (step >= u.max_length)
      for (int64_t v = 0; v < vocab; ++v) a[r][v] = false;
    a[r][kBlankId] = false;
    a[r][kSosEosId] = step >= u.min_length;
  }
  return allowed;
}

// The `beam` best extensions of rows [begin, end) of one utterance: pairs
// (row, k) ordered best first, with their total scores.
std::vector<std::pair<double, std::pair<int64_t, int64_t>>> BestExtensions(
    const std::vector<Row>& rows, const StepScores& s, const SearchOptions& opts, int64_t begin,
    int64_t end) {
  const auto joint = s.joint.accessor<double, 2>();
  const auto cand = s.candidates.accessor<int64_t, 2>();
  std::vector<std::pair<double, std::pair<int64_t, int64_t>>> all;
  for (int64_t r = begin; r < end; ++r)
    for (int64_t k = 0; k < joint.size(1); ++k) {
      const double bonus = cand[r][k] == kSosEosId ? 0.0 : opts.length_bonus;
      const double score = rows[r].score + joint[r][k] + bonus;
      if (std::isfinite(score)) all.push_back({score, {r, k}});
    }
  const size_t keep = std::min(all.size(), static_cast<size_t>(opts.beam));
  std::partial_sort(all.begin(), all.begin() + keep, all.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  all.resize(keep);
  return all;
}

// True when no running score can reach the n-best of `u` any more.
bool CannotImprove(Utterance* u, double best_running, const SearchOptions& opts) {
  if (opts.length_normalize || opts.length_bonus > 0.0) return false;
  if (u->ended.size() < static_cast<size_t>(opts.nbest)) return false;
  std::vector<Hypothesis> sorted = u->ended;
  SortAndTrim(&sorted, opts.nbest);
  return sorted.back().score >= best_running;
}

class BatchedSearch {
 public:
  BatchedSearch(AsrModel& model, const EncoderOutput& enc, const torch::Tensor& ctc_log_probs,
                const SearchOptions& opts);
  std::vector<SearchResult> Run();

 private:
  StepScores ScoreStep(int64_t step);
  // Keeps the best extensions; returns the source rows and candidates.
  std::pair<std::vector<int64_t>, std::vector<int64_t>> Advance(const StepScores& s);

  AsrModel& model_;
  const SearchOptions& opts_;
  int64_t vocab_;
  bool use_att_, use_ctc_;
  torch::Device device_;
  std::vector<Utterance> utts_;
  std::vector<Row> rows_;
  DecoderCache cache_;
  std::unique_ptr<CtcPrefixScorer> scorer_;
  CtcPrefixScorer::State ctc_state_;
  CtcPrefixScorer::Scores ctc_scores_;
};

BatchedSearch::BatchedSearch(AsrModel& model, const EncoderOutput& enc,
                             const torch::Tensor& ctc_log_probs, const SearchOptions& opts)
    : model_(model),
      opts_(opts),
      vocab_(model->options().vocab_size),
      use_att_(opts.ctc_weight < 1.0),
      use_ctc_(opts.ctc_weight > 0.0),
      device_(enc.out.device()) {
  const int64_t n = enc.out.size(0);
  const auto lengths = enc.lengths.to(torch::kCPU);
  for (int64_t i = 0; i < n; ++i) {
    Utterance u;
    u.max_length = opts.MaxLength(lengths[i].item<int64_t>());
    u.min_length = opts.MinLength(lengths[i].item<int64_t>());
    utts_.push_back(u);
    Row row;
    row.utt = i;
    rows_.push_back(row);
  }
  if (use_att_) cache_ = model->decoder()->InitCache(enc.out, enc.mask);
  if (use_ctc_) {
    scorer_ = std::make_unique<CtcPrefixScorer>(CtcLogProbsOf(model, enc, ctc_log_probs),
                                                enc.lengths, kBlankId, kSosEosId);
    ctc_state_ = scorer_->Initial(torch::arange(n, torch::dtype(torch::kInt64).device(device_)));
  }
}

StepScores BatchedSearch::ScoreStep(int64_t step) {
  const int64_t b = static_cast<int64_t>(rows_.size());
  std::vector<int64_t> last;
  for (const Row& row : rows_) last.push_back(row.tokens.empty() ? kSosEosId : row.tokens.back());
  const auto att = use_att_ ? model_->decoder()->Step(torch::tensor(last).to(device_), &cache_)
                            : torch::zeros({b, vocab_}, torch::device(device_));
  const auto allowed = AllowedTokens(rows_, utts_, step, vocab_).to(device_);
  const int64_t k = use_att_ && use_ctc_ ? opts_.PreBeam(static_cast<int>(vocab_)) : vocab_;
  // Pre-beam on the attention scores (ESPnet's "full" scorers).
  const auto candidates =
      k < vocab_ ? std::get<1>(att.masked_fill(allowed.logical_not(), kLogZero).topk(k, 1))
                 : torch::arange(vocab_, torch::dtype(torch::kInt64).device(device_))
                       .unsqueeze(0)
                       .expand({b, vocab_});
  const auto att_c = att.gather(1, candidates).to(torch::kDouble);
  auto joint = (1.0 - opts_.ctc_weight) * att_c;
  auto ctc = torch::zeros_like(att_c);
  if (use_ctc_) {
    ctc_scores_ = scorer_->Score(ctc_state_, candidates.contiguous());
    ctc = ctc_scores_.psi.to(torch::kDouble);
    joint = joint + opts_.ctc_weight * (ctc - ctc_state_.psi.to(torch::kDouble).unsqueeze(1));
  }
  joint = joint.masked_fill(allowed.gather(1, candidates).logical_not(), kLogZero);
  return {joint.to(torch::kCPU).contiguous(), candidates.to(torch::kCPU).contiguous(),
          att_c.to(torch::kCPU).contiguous(), ctc.to(torch::kCPU).contiguous()};
}

std::pair<std::vector<int64_t>, std::vector<int64_t>> BatchedSearch::Advance(const StepScores& s) {
  const auto cand = s.candidates.accessor<int64_t, 2>();
  const auto att = s.att.accessor<double, 2>();
  const auto ctc = s.ctc.accessor<double, 2>();
  std::vector<Row> next;
  std::vector<int64_t> src_rows, src_ks;
  for (size_t begin = 0; begin < rows_.size();) {
    size_t end = begin;
    while (end < rows_.size() && rows_[end].utt == rows_[begin].utt) ++end;
    Utterance& u = utts_[rows_[begin].utt];
    const size_t first_new = next.size();
    double best_running = kLogZero;
    for (const auto& [score, rk] : BestExtensions(rows_, s, opts_, begin, end)) {
      const auto [r, k] = rk;
      const Row& row = rows_[r];
      if (cand[r][k] == kSosEosId) {
        Hypothesis h{row.tokens, FinalScore(score, row.tokens.size(), opts_),
                     use_att_ ? row.att + att[r][k] : 0.0, ctc[r][k]};
        u.ended.push_back(std::move(h));
        continue;
      }
      Row extended{row.utt, row.tokens, score, row.att + att[r][k], ctc[r][k]};
      extended.tokens.push_back(static_cast<int>(cand[r][k]));
      best_running = std::max(best_running, score);
      next.push_back(std::move(extended));
      src_rows.push_back(r);
      src_ks.push_back(k);
    }
    if (next.size() > first_new && CannotImprove(&u, best_running, opts_)) {
      next.resize(first_new);
      src_rows.resize(first_new);
      src_ks.resize(first_new);
    }
    begin = end;
  }
  rows_ = std::move(next);
  return {src_rows, src_ks};
}

std::vector<SearchResult> BatchedSearch::Run() {
  for (int64_t step = 0; !rows_.empty(); ++step) {
    const StepScores scores = ScoreStep(step);
    const auto [src_rows, src_ks] = Advance(scores);
    if (rows_.empty()) break;
    const auto opts = torch::dtype(torch::kInt64);
    const auto rows = torch::tensor(src_rows, opts).to(device_);
    if (use_att_) cache_.Select(rows);
    if (use_ctc_)
      ctc_state_ =
          scorer_->Select(ctc_state_, ctc_scores_, rows, torch::tensor(src_ks, opts).to(device_));
  }
  std::vector<SearchResult> results(utts_.size());
  for (size_t i = 0; i < utts_.size(); ++i) {
    results[i].nbest = std::move(utts_[i].ended);
    SortAndTrim(&results[i].nbest, opts_.nbest);
  }
  return results;
}

}  // namespace

std::vector<SearchResult> AttentionBeamSearch::Run(AsrModel& model, const EncoderOutput& enc,
                                                   const torch::Tensor& ctc_log_probs) {
  return BatchedSearch(model, enc, ctc_log_probs, options()).Run();
}

}  // namespace verbatim
