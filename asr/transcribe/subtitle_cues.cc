// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/subtitle_cues.h"

#include <algorithm>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kMinCueS = 0.01;  // s, the shortest cue a clamp may leave

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Greedy line breaking of `words` into lines of at most `width` code points
// (a longer word gets a line of its own).
std::vector<std::string> Wrap(const std::vector<const TranscriptWord*>& words, size_t width) {
  std::vector<std::string> lines;
  for (const TranscriptWord* w : words) {
    if (!lines.empty() && CodePoints(lines.back()) + 1 + CodePoints(w->text) <= width)
      lines.back() += " " + w->text;
    else
      lines.push_back(w->text);
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

}  // namespace

void SubtitleOptions::Validate() const {
  Check(max_cue_s > 0.0, "subtitles: max_cue_s must be positive");
  Check(max_line_chars > 0 && max_lines > 0,
        "subtitles: max_line_chars and max_lines must be positive");
}

std::vector<SubtitleCue> MakeSubtitleCues(const FileTranscript& transcript,
                                          const SubtitleOptions& opts) {
  opts.Validate();
  std::vector<SubtitleCue> cues;
  auto add = [&](double start, double end, const std::string& text) {
    // Keep cues ordered and apart even where word times touch or overlap.
    if (!cues.empty()) start = std::max(start, cues.back().end_s);
    end = std::max(end, start + kMinCueS);
    cues.push_back(SubtitleCue{start, end, text});
  };
  for (const TranscriptSegment& segment : transcript.segments) {
    if (segment.text().empty()) continue;
    if (segment.words.empty()) {
      add(segment.start_s, segment.end_s, segment.text());
      continue;
    }
    std::vector<const TranscriptWord*> cue;
    for (const TranscriptWord& word : segment.words) {
      cue.push_back(&word);
      const bool fits =
          Wrap(cue, opts.max_line_chars).size() <= static_cast<size_t>(opts.max_lines) &&
          word.end_s - cue.front()->start_s <= opts.max_cue_s;
      if (fits || cue.size() == 1) continue;
      cue.pop_back();
      add(cue.front()->start_s, cue.back()->end_s, Join(Wrap(cue, opts.max_line_chars)));
      cue.assign(1, &word);
    }
    add(cue.front()->start_s, cue.back()->end_s, Join(Wrap(cue, opts.max_line_chars)));
  }
  return cues;
}

}  // namespace verbatim
