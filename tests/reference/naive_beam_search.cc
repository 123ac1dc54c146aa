// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tests/reference/naive_beam_search.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace verbatim {
namespace {

// A running hypothesis with its CTC forward variables over frames t:
// log P(prefix seen by frame t, last frame non-blank / blank).
struct NaiveHyp {
  std::vector<int> tokens;
  double score = 0.0, att = 0.0, ctc = 0.0;  // ctc: log psi(tokens)
  std::vector<double> r_nb, r_b;
};

// One utterance: CTC log-probabilities (T, V) as doubles and the memory.
class UtteranceSearch {
 public:
  UtteranceSearch(AsrModel& model, const torch::Tensor& memory, const SearchOptions& opts)
      : model_(model), memory_(memory), opts_(opts) {
    use_att_ = opts.ctc_weight < 1.0;
    use_ctc_ = opts.ctc_weight > 0.0;
    vocab_ = model->options().vocab_size;
    frames_ = memory.size(1);
    lp_ = model->CtcLogProbs(memory)[0].to(torch::kDouble).contiguous();
  }

  SearchResult Run() {
    const int max_length = opts_.MaxLength(frames_), min_length = opts_.MinLength(frames_);
    NaiveHyp start;
    start.r_nb.assign(frames_, kLogZero);
    start.r_b.assign(frames_, kLogZero);
    const auto lp = lp_.accessor<double, 2>();
    double sum = 0.0;
    for (int64_t t = 0; t < frames_; ++t) start.r_b[t] = sum += lp[t][kBlankId];
    std::vector<NaiveHyp> running = {start};
    std::vector<Hypothesis> ended;
    for (int step = 0; !running.empty(); ++step) {
      // Every extension of every hypothesis, in row-major (hypothesis,
      // candidate) order as the batched search lists them.
      struct Extension {
        double score;
        size_t hyp;
        int token;
        double att, ctc;
        std::vector<double> r_nb, r_b;
      };
      std::vector<Extension> all;
      for (size_t h = 0; h < running.size(); ++h) {
        const NaiveHyp& hyp = running[h];
        const std::vector<float> att = AttentionLogProbs(hyp.tokens);
        std::vector<bool> allowed(vocab_, step < max_length);
        allowed[kBlankId] = false;
        allowed[kSosEosId] = step >= min_length;
        for (int c : Candidates(att, allowed)) {
          Extension e{0.0, h, c, use_att_ ? double(att[c]) : 0.0, 0.0, {}, {}};
          double joint = (1.0 - opts_.ctc_weight) * e.att;
          if (use_ctc_) {
            e.ctc = CtcPrefix(hyp, c, &e.r_nb, &e.r_b);
            joint += opts_.ctc_weight * (e.ctc - hyp.ctc);
          }
          if (!allowed[c]) joint = kLogZero;
          e.score = hyp.score + joint + (c == kSosEosId ? 0.0 : opts_.length_bonus);
          if (std::isfinite(e.score)) all.push_back(std::move(e));
        }
      }
      const size_t keep = std::min(all.size(), static_cast<size_t>(opts_.beam));
      std::partial_sort(all.begin(), all.begin() + keep, all.end(),
                        [](const Extension& a, const Extension& b) { return a.score > b.score; });
      all.resize(keep);
      std::vector<NaiveHyp> next;
      double best_running = kLogZero;
      for (Extension& e : all) {
        const NaiveHyp& hyp = running[e.hyp];
        if (e.token == kSosEosId) {
          ended.push_back(Hypothesis{hyp.tokens, FinalScore(e.score, hyp.tokens.size(), opts_),
                                     use_att_ ? hyp.att + e.att : 0.0, e.ctc});
          continue;
        }
        NaiveHyp n{hyp.tokens, e.score,           hyp.att + e.att,
                   e.ctc,      std::move(e.r_nb), std::move(e.r_b)};
        n.tokens.push_back(e.token);
        best_running = std::max(best_running, e.score);
        next.push_back(std::move(n));
      }
      running = std::move(next);
      if (!running.empty() && CannotImprove(ended, best_running)) running.clear();
    }
    SearchResult result{std::move(ended)};
    SortAndTrim(&result.nbest, opts_.nbest);
    return result;
  }

 private:
  // log P_att(. | <sos> tokens) by the full teacher-forced decoder.
  std::vector<float> AttentionLogProbs(const std::vector<int>& tokens) {
    if (!use_att_) return std::vector<float>(vocab_, 0.0f);
    std::vector<int64_t> input = {kSosEosId};
    input.insert(input.end(), tokens.begin(), tokens.end());
    const int64_t length = static_cast<int64_t>(input.size());
    auto mask = torch::ones({1, 1, frames_}, torch::kBool);
    auto logits = model_->decoder()->forward(torch::tensor(input).unsqueeze(0),
                                             torch::tensor({length}), memory_, mask);
    auto logp = torch::log_softmax(logits[0][length - 1].to(torch::kFloat32), -1).contiguous();
    return std::vector<float>(logp.data_ptr<float>(), logp.data_ptr<float>() + vocab_);
  }

  // The pre-beam: the best attention scores among allowed tokens when both
  // scorers run, else every token.
  std::vector<int> Candidates(const std::vector<float>& att, const std::vector<bool>& allowed) {
    const int k = use_att_ && use_ctc_ ? opts_.PreBeam(static_cast<int>(vocab_)) : vocab_;
    std::vector<int> all(vocab_);
    for (int v = 0; v < vocab_; ++v) all[v] = v;
    if (k >= vocab_) return all;
    auto masked = [&](int v) { return allowed[v] ? double(att[v]) : kLogZero; };
    std::stable_sort(all.begin(), all.end(), [&](int a, int b) { return masked(a) > masked(b); });
    all.resize(k);
    return all;
  }

  // log psi(tokens + c) from the prefix's forward variables (Watanabe et al.
  // 2017, Algorithm 2); fills the extended prefix's variables.
  double CtcPrefix(const NaiveHyp& hyp, int c, std::vector<double>* r_nb,
                   std::vector<double>* r_b) const {
    if (c == kBlankId) return kLogZero;
    const int64_t t_end = frames_ - 1;
    if (c == kSosEosId) return LogAdd(hyp.r_nb[t_end], hyp.r_b[t_end]);
    const auto lp = lp_.accessor<double, 2>();
    const int64_t length = static_cast<int64_t>(hyp.tokens.size());
    const bool repeat = length > 0 && hyp.tokens.back() == c;
    auto phi = [&](int64_t t) { return repeat ? hyp.r_b[t] : LogAdd(hyp.r_nb[t], hyp.r_b[t]); };
    r_nb->assign(frames_, kLogZero);
    r_b->assign(frames_, kLogZero);
    const int64_t start = std::max<int64_t>(length, 1);
    if (start > frames_) return kLogZero;
    if (length == 0) (*r_nb)[0] = lp[0][c];
    double psi = (*r_nb)[start - 1];
    for (int64_t t = start; t < frames_; ++t) {
      (*r_nb)[t] = LogAdd((*r_nb)[t - 1], phi(t - 1)) + lp[t][c];
      (*r_b)[t] = LogAdd((*r_nb)[t - 1], (*r_b)[t - 1]) + lp[t][kBlankId];
      psi = LogAdd(psi, phi(t - 1) + lp[t][c]);
    }
    return psi;
  }

  bool CannotImprove(std::vector<Hypothesis> ended, double best_running) const {
    if (opts_.length_normalize || opts_.length_bonus > 0.0) return false;
    if (ended.size() < static_cast<size_t>(opts_.nbest)) return false;
    SortAndTrim(&ended, opts_.nbest);
    return ended.back().score >= best_running;
  }

  AsrModel& model_;
  torch::Tensor memory_;  // (1, T', D)
  const SearchOptions& opts_;
  bool use_att_ = true, use_ctc_ = true;
  int vocab_ = 0;
  int64_t frames_ = 0;
  torch::Tensor lp_;  // (T', V) double
};

}  // namespace

// The reference computes its own CTC log-probabilities, one utterance at a
// time, in double precision: it takes nothing from the caller.
std::vector<SearchResult> NaiveBeamSearch::Run(AsrModel& model, const EncoderOutput& enc,
                                               const torch::Tensor& /*ctc_log_probs*/) {
  std::vector<SearchResult> results;
  const auto lengths = enc.lengths.to(torch::kCPU);
  for (int64_t n = 0; n < enc.out.size(0); ++n) {
    const auto memory = enc.out.narrow(0, n, 1).narrow(1, 0, lengths[n].item<int64_t>());
    results.push_back(UtteranceSearch(model, memory, options()).Run());
  }
  return results;
}

}  // namespace verbatim
