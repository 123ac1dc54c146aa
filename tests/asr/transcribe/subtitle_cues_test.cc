// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/subtitle_cues.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "base/error.h"
#include "base/random.h"

namespace verbatim {
namespace {

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

TEST_CASE("subtitle cues keep every word, in order, within the limits", "[subtitle_cues]") {
  Random rng(2);
  FileTranscript t;
  std::vector<std::string> all;
  double time = 0.5;
  for (int s = 0; s < 5; ++s) {
    TranscriptSegment seg;
    seg.start_s = time;
    std::string text;
    const int n = static_cast<int>(rng.UniformInt(1, 60));
    for (int w = 0; w < n; ++w) {
      TranscriptWord word;
      word.text = std::string(rng.UniformInt(1, 12), static_cast<char>('a' + w % 26));
      word.start_s = time;
      time += rng.Uniform(0.1, 0.8);
      word.end_s = time;
      text += (w ? " " : "") + word.text;
      all.push_back(word.text);
      seg.words.push_back(word);
    }
    seg.end_s = time;
    seg.nbest.push_back(TranscriptHypothesis{text, 0, 0, 0});
    t.segments.push_back(seg);
    time += 2.0;
  }
  t.segments.push_back(TranscriptSegment());  // nothing heard: no cue
  SubtitleOptions opts;
  opts.max_cue_s = 5.0;
  opts.max_line_chars = 30;
  const auto cues = MakeSubtitleCues(t, opts);
  std::vector<std::string> words;
  double last = 0.0;
  for (const SubtitleCue& c : cues) {
    INFO(c.text);
    CHECK(c.start_s >= last);
    CHECK(c.end_s > c.start_s);
    last = c.end_s;
    const auto lines = Split(c.text, '\n');
    CHECK(lines.size() <= 2);
    for (const auto& line : lines) CHECK(line.size() <= 30);
    if (Split(c.text, ' ').size() > 1) CHECK(c.end_s - c.start_s <= 5.0 + 1e-9);
    for (const auto& line : lines)
      for (const auto& x : Split(line, ' ')) words.push_back(x);
  }
  CHECK(words == all);
  CHECK(cues.size() > 5);  // long segments were split
}

TEST_CASE("subtitle cues never overlap", "[subtitle_cues]") {
  FileTranscript t;
  TranscriptSegment seg;
  seg.start_s = 1.0;
  seg.end_s = 3.0;
  seg.nbest.push_back(TranscriptHypothesis{"aa bb", 0, 0, 0});
  seg.words = {{"aa", 1.0, 2.5, 1.0}, {"bb", 2.0, 2.0, 1.0}};
  t.segments.push_back(seg);
  SubtitleOptions opts;
  opts.max_line_chars = 2;
  opts.max_lines = 1;  // one word per cue
  const auto cues = MakeSubtitleCues(t, opts);
  REQUIRE(cues.size() == 2);
  CHECK(cues[1].start_s >= cues[0].end_s);
  CHECK(cues[1].end_s > cues[1].start_s);
  opts.max_lines = 0;
  CHECK_THROWS_AS(MakeSubtitleCues(t, opts), Error);
}

}  // namespace
}  // namespace verbatim
