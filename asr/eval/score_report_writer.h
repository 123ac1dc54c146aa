// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A ScoreReport as text (like sclite's reports) or as JSON.
//
// Text: the scoring mode; Kaldi-style lines
//   %WER 12.50 [ 5 / 40, 1 ins, 2 del, 2 sub ]
// for WER, CER and the sentence error rate; a table in percent like sclite's
// `sum` report (one row per speaker when utt2spk was given, then the sum);
// the most frequent substitutions, deletions and insertions; then, per
// utterance, sclite's `pra` alignment block:
//   id: (utt1)
//   Scores: (#C #S #D #I) 3 1 1 1
//   REF:  hello BIG    world THE end *****
//   HYP:  hello BIGGER world *** end EXTRA
//   Eval:       S            D       I
// (correct words lower case, errors upper case, '*' filling the other side
// of a deletion or insertion, as sclite prints them).
//
// JSON: one object with the totals (`words`, `correct`, `substitutions`,
// `deletions`, `insertions`, `errors`, `wer`, `cer`, ...), `speakers`,
// `top_errors`, `warnings` and `utterances` (counts, texts and alignment of
// each). Rates are fractions (0.125, not 12.5); null for errors against an
// empty reference.
#pragma once

#include <ostream>
#include <string>

#include "asr/eval/wer_scorer.h"

namespace verbatim {

struct ScoreReportOptions {
  bool alignments = true;  // per-utterance alignment blocks in the text report
};

void WriteScoreText(const ScoreReport& report, std::ostream& out,
                    const ScoreReportOptions& opts = ScoreReportOptions());

// The summary only: the %WER, %CER and %SER lines.
void WriteScoreSummary(const ScoreReport& report, std::ostream& out);

// sclite's pra block of one utterance (the id, Scores, REF, HYP and Eval
// lines, each ending in "\n"; no blank line after). An utterance with empty
// reference and hypothesis has the first two lines only, as in sclite.
std::string FormatAlignmentBlock(const UtteranceScore& utterance);

void WriteScoreJson(const ScoreReport& report, std::ostream& out);

}  // namespace verbatim
