// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/eval/wer_scorer.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "asr/util/utf8.h"
#include "base/error.h"

namespace verbatim {
namespace {

constexpr size_t kMaxIdsInWarning = 5;

std::vector<std::string> Characters(const std::vector<std::string>& words) {
  std::vector<std::string> chars;
  for (const std::string& word : words) {
    const std::vector<std::string> split = SplitUtf8Characters(word);
    chars.insert(chars.end(), split.begin(), split.end());
  }
  return chars;
}

// Counts of every substitution pair, deleted word and inserted word.
struct ErrorTallies {
  using Tally = std::map<std::pair<std::string, std::string>, int64_t>;
  Tally substitutions, deletions, insertions;

  void Add(const UtteranceScore& u) {
    for (const AlignedPair& p : u.alignment) {
      if (p.op == EditOp::kSubstitution) ++substitutions[{u.ref[p.ref], u.hyp[p.hyp]}];
      if (p.op == EditOp::kDeletion) ++deletions[{u.ref[p.ref], ""}];
      if (p.op == EditOp::kInsertion) ++insertions[{"", u.hyp[p.hyp]}];
    }
  }
};

// The `limit` most frequent entries of `tally`, most frequent first; the map
// order (by ref, then hyp) breaks ties.
std::vector<ErrorCount> MostFrequent(const ErrorTallies::Tally& tally, int limit) {
  std::vector<ErrorCount> all;
  for (const auto& entry : tally) {
    all.push_back({entry.first.first, entry.first.second, entry.second});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const ErrorCount& a, const ErrorCount& b) { return a.count > b.count; });
  all.resize(std::min(all.size(), static_cast<size_t>(std::max(limit, 0))));
  return all;
}

void AddToSpeaker(const UtteranceScore& u, SpeakerScore* s) {
  s->speaker = u.speaker;
  ++s->utterances;
  s->utterances_with_errors += u.words.Errors() > 0;
  s->words += u.words;
  s->chars += u.chars;
}

void CheckAllHaveReferences(const ScoringInput& input) {
  std::unordered_set<std::string> in_ref;
  for (const Transcript& t : input.refs) in_ref.insert(t.id);
  for (const Transcript& t : input.hyps) {
    Check(in_ref.count(t.id) > 0, input.hyp_name + ": line " + std::to_string(t.line) +
                                      ": utterance '" + t.id + "' has no reference");
  }
}

std::string IdList(const std::vector<std::string>& ids) {
  std::string list;
  for (size_t i = 0; i < ids.size() && i < kMaxIdsInWarning; ++i) list += (i ? ", " : "") + ids[i];
  if (ids.size() > kMaxIdsInWarning) list += ", ...";
  return list;
}

}  // namespace

WerScorer::WerScorer(const WerScorerOptions& opts) : opts_(opts), normalizer_(opts.normalizer) {}

std::vector<std::string> WerScorer::Words(const std::string& text) const {
  std::istringstream in(normalizer_.Normalize(text));
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

UtteranceScore WerScorer::ScoreUtterance(const std::string& id, const std::string& ref_text,
                                         const std::string* hyp_text) const {
  UtteranceScore score;
  score.id = id;
  try {
    score.ref = Words(ref_text);
    if (hyp_text != nullptr) score.hyp = Words(*hyp_text);
  } catch (const Error& e) {
    throw Error("utterance '" + id + "': " + e.what());
  }
  score.hyp_missing = hyp_text == nullptr;
  score.alignment = AlignTokens(score.ref, score.hyp, opts_.mode);
  score.words = CountEdits(score.alignment);
  if (opts_.score_characters) {
    score.chars = CountEdits(AlignTokens(Characters(score.ref), Characters(score.hyp), opts_.mode));
  }
  return score;
}

ScoreReport WerScorer::Score(const ScoringInput& input) const {
  CheckAllHaveReferences(input);
  std::unordered_map<std::string, const std::string*> hyps;
  for (const Transcript& t : input.hyps) hyps.emplace(t.id, &t.text);

  ScoreReport report;
  report.mode = opts_.mode;
  std::map<std::string, SpeakerScore> speakers;
  ErrorTallies tallies;
  std::vector<std::string> missing;
  for (const Transcript& ref : input.refs) {
    const auto hyp = hyps.find(ref.id);
    UtteranceScore u = ScoreUtterance(ref.id, ref.text, hyp == hyps.end() ? nullptr : hyp->second);
    if (u.hyp_missing) missing.push_back(ref.id);
    report.words += u.words;
    report.chars += u.chars;
    report.utterances_with_errors += u.words.Errors() > 0;
    if (!input.utt2spk.empty()) {
      const auto spk = input.utt2spk.find(ref.id);
      Check(spk != input.utt2spk.end(),
            input.utt2spk_name + ": no speaker for utterance '" + ref.id + "'");
      u.speaker = spk->second;
      AddToSpeaker(u, &speakers[u.speaker]);
    }
    tallies.Add(u);
    report.utterances.push_back(std::move(u));
  }
  for (auto& entry : speakers) report.speakers.push_back(std::move(entry.second));
  report.substitutions = MostFrequent(tallies.substitutions, opts_.top_errors);
  report.deletions = MostFrequent(tallies.deletions, opts_.top_errors);
  report.insertions = MostFrequent(tallies.insertions, opts_.top_errors);
  report.missing_hypotheses = static_cast<int64_t>(missing.size());
  if (!missing.empty()) {
    report.warnings.push_back(std::to_string(missing.size()) + " of " +
                              std::to_string(input.refs.size()) +
                              " utterances have no hypothesis in " + input.hyp_name +
                              " (scored as all deletions): " + IdList(missing));
  }
  return report;
}

}  // namespace verbatim
