// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Word and character error rates of hypotheses against references, with the
// alignment of every utterance, per-speaker totals and the most frequent
// errors.
//
//   WER = (S + D + I) / N, N = number of reference words (summed over
//   utterances, not averaged per utterance). CER is the same over the
//   characters (Unicode code points) of the words: spaces are not characters
//   for CER, as with `sclite -c`.
//
// A reference without a hypothesis is scored as all deletions (and named in a
// warning); a hypothesis without a reference is an error (the two files most
// likely do not belong together).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "asr/eval/edit_alignment.h"
#include "asr/eval/transcript_file.h"
#include "asr/text/text_normalizer.h"

namespace verbatim {

struct WerScorerOptions {
  AlignmentMode mode = AlignmentMode::kSclite;  // costs and tie-breaking (edit_alignment.h)
  // Applied to references and hypotheses alike before splitting into words;
  // the default only collapses whitespace (words compared byte for byte).
  TextNormalizerOptions normalizer;
  bool score_characters = true;  // also align characters (CER); off saves time on long texts
  int top_errors = 10;           // entries kept per list of most frequent errors (count)
};

struct UtteranceScore {
  std::string id;
  std::string speaker;                 // "" without utt2spk
  std::vector<std::string> ref;        // normalized words
  std::vector<std::string> hyp;        // normalized words (empty when missing)
  bool hyp_missing = false;            // no hypothesis: all reference words deleted
  std::vector<AlignedPair> alignment;  // word alignment (indices into ref and hyp)
  EditCounts words;
  EditCounts chars;  // all zero when score_characters is off
};

struct SpeakerScore {
  std::string speaker;
  int64_t utterances = 0;
  int64_t utterances_with_errors = 0;  // at least one word error
  EditCounts words;
  EditCounts chars;
};

// One entry of a most-frequent-errors list: a substitution `ref` -> `hyp`,
// a deletion of `ref` (hyp ""), or an insertion of `hyp` (ref "").
struct ErrorCount {
  std::string ref;
  std::string hyp;
  int64_t count = 0;
};

struct ScoreReport {
  AlignmentMode mode = AlignmentMode::kSclite;
  std::vector<UtteranceScore> utterances;  // in reference order
  EditCounts words;
  EditCounts chars;
  int64_t utterances_with_errors = 0;
  int64_t missing_hypotheses = 0;
  std::vector<SpeakerScore> speakers;  // by speaker name; empty without utt2spk
  // Most frequent first (ties by name), at most WerScorerOptions::top_errors each.
  std::vector<ErrorCount> substitutions;
  std::vector<ErrorCount> deletions;
  std::vector<ErrorCount> insertions;
  std::vector<std::string> warnings;  // one line each
};

struct ScoringInput {
  std::vector<Transcript> refs;
  std::vector<Transcript> hyps;
  std::string hyp_name = "hypotheses";  // names the hypothesis file in messages
  // Utterance id -> speaker; empty: no per-speaker breakdown. When given, it
  // must name every reference utterance.
  std::map<std::string, std::string> utt2spk;
  std::string utt2spk_name = "utt2spk";  // names the utt2spk file in messages
};

class WerScorer {
 public:
  explicit WerScorer(const WerScorerOptions& opts = WerScorerOptions());

  // Throws Error for a hypothesis without a reference and for a reference
  // missing from a non-empty utt2spk.
  ScoreReport Score(const ScoringInput& input) const;

  // One utterance; `hyp_text` nullptr means a missing hypothesis.
  UtteranceScore ScoreUtterance(const std::string& id, const std::string& ref_text,
                                const std::string* hyp_text) const;

  // The normalized words of `text`.
  std::vector<std::string> Words(const std::string& text) const;

  const WerScorerOptions& options() const { return opts_; }

 private:
  WerScorerOptions opts_;
  TextNormalizer normalizer_;
};

}  // namespace verbatim
