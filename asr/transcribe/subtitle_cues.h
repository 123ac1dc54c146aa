// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Subtitle cues (SRT, WebVTT) from a transcript: one cue per speech segment,
// long segments split between words so that a cue stays readable (a few
// seconds, at most `max_lines` lines of `max_line_chars`). Cues are in time
// order, never overlap, and each lasts a positive time.
#pragma once

#include <string>
#include <vector>

#include "asr/transcribe/transcript.h"

namespace verbatim {

struct SubtitleOptions {
  double max_cue_s = 7.0;   // s, longest cue (a single longer word still gets its own cue)
  int max_line_chars = 42;  // characters (UTF-8 code points) per line
  int max_lines = 2;        // lines per cue
  void Validate() const;    // throws Error on out-of-range values
};

struct SubtitleCue {
  double start_s = 0.0;  // s
  double end_s = 0.0;    // s
  std::string text;      // lines separated by '\n'
};

std::vector<SubtitleCue> MakeSubtitleCues(const FileTranscript& transcript,
                                          const SubtitleOptions& opts = {});

}  // namespace verbatim
