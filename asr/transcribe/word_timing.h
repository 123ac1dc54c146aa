// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Words of a hypothesis with times and confidences, from the CTC forced
// alignment of its tokens (asr/search/ctc_forced_alignment.h). A word starts
// at every piece that begins with SentencePiece's word marker "▁"; a piece
// that is only the marker (character models) belongs to no word's timing.
//
// Word confidence: the mean, over the word's tokens, of each token's
// confidence, which is the mean posterior P(token | frame) over the frames
// the alignment gives it. A word is thus as sure as its average piece, and
// every piece counts once however long it is held.
#pragma once

#include <optional>
#include <vector>

#include "asr/search/ctc_forced_alignment.h"
#include "asr/text/tokenizer.h"
#include "asr/transcribe/transcript.h"

namespace verbatim {

struct WordTimingOptions {
  double frame_s = 0.04;  // s per CTC (encoder) frame
  double offset_s = 0.0;  // s, start of the aligned audio within the file
  double end_s = 0.0;     // s, end of the aligned audio within the file (times are clamped to it)
};

// Words of `tokens`. With an alignment (of exactly these tokens), times come
// from it; without one (the hypothesis has no CTC path), the words share
// [offset_s, end_s] evenly and get confidence 0.
std::vector<TranscriptWord> WordsFromAlignment(const std::vector<int>& tokens,
                                               const std::optional<CtcAlignment>& alignment,
                                               const Tokenizer& tokenizer,
                                               const WordTimingOptions& opts);

}  // namespace verbatim
