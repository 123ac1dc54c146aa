// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Reference and hypothesis transcripts for scoring, in either of the two
// usual formats:
//   Kaldi `text`: `utt-id w1 w2 ...` per line (a line with the id alone is an
//                 empty transcript);
//   sclite `trn`: `w1 w2 ... (utt-id)` per line (the id is the last
//                 parenthesized group; `(utt-id)` alone is an empty transcript).
// Blank lines are skipped; duplicated ids are errors.
#pragma once

#include <string>
#include <vector>

namespace verbatim {

enum class TranscriptFormat { kAuto, kKaldiText, kTrn };

// "auto" | "text" | "trn" (Parse throws Error naming the accepted values).
std::string TranscriptFormatName(TranscriptFormat format);
TranscriptFormat ParseTranscriptFormat(const std::string& name);

// kTrn for a path ending in ".trn", kKaldiText otherwise.
TranscriptFormat DetectTranscriptFormat(const std::string& path);

struct Transcript {
  std::string id;
  std::string text;  // the words as written, single-space separated
  int line = 0;      // 1-based line number in the file
};

// Reads `path` in `format` (kAuto: by its name). Throws Error("path: line N:
// ...") for a trn line without its `(id)` and for duplicated ids.
std::vector<Transcript> ReadTranscripts(const std::string& path,
                                        TranscriptFormat format = TranscriptFormat::kAuto);

// Parses transcripts from `content`; `name` stands for the file in errors.
std::vector<Transcript> ParseTranscripts(const std::string& content, TranscriptFormat format,
                                         const std::string& name);

}  // namespace verbatim
