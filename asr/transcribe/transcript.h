// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// What `transcribe` finds in an audio file: speech segments, each with its
// n-best hypotheses and the words of the best one with times and
// confidences. Times are seconds from the start of the file.
#pragma once

#include <string>
#include <vector>

namespace verbatim {

struct TranscriptWord {
  std::string text;
  double start_s = 0.0;     // s
  double end_s = 0.0;       // s
  double confidence = 0.0;  // 0..1, see WordsFromAlignment
};

struct TranscriptHypothesis {
  std::string text;
  double score = 0.0;            // ranking score of the search (nats)
  double attention_score = 0.0;  // log P_att (nats; 0 when the decoder was not used)
  double ctc_score = 0.0;        // log P_ctc (nats)
};

struct TranscriptSegment {
  double start_s = 0.0;                     // s
  double end_s = 0.0;                       // s
  std::vector<TranscriptHypothesis> nbest;  // best first; empty or "" when nothing was heard
  std::vector<TranscriptWord> words;        // of nbest[0]
  // The words' times come from a CTC forced alignment; false when the best
  // hypothesis has no CTC path (then the words share the segment evenly).
  bool aligned = true;

  const std::string& text() const {
    static const std::string kEmpty;
    return nbest.empty() ? kEmpty : nbest[0].text;
  }
};

struct FileTranscript {
  std::string path;                         // as given on the command line
  std::string key;                          // the file name without directory and extension
  double duration_s = 0.0;                  // s of audio
  double compute_s = 0.0;                   // s of wall-clock time spent on the file
  std::vector<TranscriptSegment> segments;  // in time order

  // The text of all segments, joined by single spaces.
  std::string Text() const {
    std::string text;
    for (const auto& s : segments) {
      if (s.text().empty()) continue;
      if (!text.empty()) text += ' ';
      text += s.text();
    }
    return text;
  }
};

}  // namespace verbatim
