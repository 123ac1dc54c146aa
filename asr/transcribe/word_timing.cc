// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/word_timing.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace verbatim {
namespace {

const char kWordMarker[] = "\xE2\x96\x81";  // U+2581, SentencePiece's word boundary

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string StripBlanks(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Token index ranges [first, last) of the words of `tokens`.
std::vector<std::pair<size_t, size_t>> WordRanges(const std::vector<int>& tokens,
                                                  const Tokenizer& tokenizer) {
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (ranges.empty() || StartsWith(tokenizer.IdToPiece(tokens[i]), kWordMarker))
      ranges.emplace_back(i, i);
    ranges.back().second = i + 1;
  }
  return ranges;
}

}  // namespace

std::vector<TranscriptWord> WordsFromAlignment(const std::vector<int>& tokens,
                                               const std::optional<CtcAlignment>& alignment,
                                               const Tokenizer& tokenizer,
                                               const WordTimingOptions& opts) {
  Check(!alignment || alignment->tokens.size() == tokens.size(),
        "word timing: the alignment is not one of these tokens");
  std::vector<TranscriptWord> words;
  std::vector<std::pair<size_t, size_t>> kept;  // token ranges of `words`
  for (const auto& [first, last] : WordRanges(tokens, tokenizer)) {
    TranscriptWord word;
    word.text = StripBlanks(
        tokenizer.Decode(std::vector<int>(tokens.begin() + first, tokens.begin() + last)));
    if (word.text.empty()) continue;
    words.push_back(word);
    kept.emplace_back(first, last);
  }
  const double end_s = std::max(opts.offset_s, opts.end_s);
  if (!alignment) {
    const double share = (end_s - opts.offset_s) / std::max<size_t>(1, words.size());
    for (size_t i = 0; i < words.size(); ++i) {
      words[i].start_s = opts.offset_s + i * share;
      words[i].end_s = opts.offset_s + (i + 1) * share;
    }
    return words;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    int64_t begin = -1, end = -1;
    double confidence = 0.0;
    int counted = 0;
    for (size_t k = kept[i].first; k < kept[i].second; ++k) {
      if (tokenizer.IdToPiece(tokens[k]) == kWordMarker) continue;  // the space itself
      const CtcTokenSpan& span = alignment->tokens[k];
      if (begin < 0) begin = span.begin_frame;
      end = span.end_frame;
      confidence += span.confidence;
      ++counted;
    }
    if (counted == 0) {  // cannot happen with a non-empty text, but stay defined
      begin = alignment->tokens[kept[i].first].begin_frame;
      end = alignment->tokens[kept[i].second - 1].end_frame;
    }
    words[i].start_s = std::min(end_s, opts.offset_s + begin * opts.frame_s);
    words[i].end_s = std::min(end_s, opts.offset_s + end * opts.frame_s);
    words[i].confidence = counted > 0 ? confidence / counted : 0.0;
  }
  return words;
}

}  // namespace verbatim
