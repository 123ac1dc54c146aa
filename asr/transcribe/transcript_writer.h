// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Writes transcripts in the formats of `verbatim transcribe`:
//   text  one line per file: the transcript, or "KEY TRANSCRIPT" (Kaldi
//         `text` format) when keys are asked for
//   json  {"files": [{"file", "key", "duration", "text", "segments": [{"start",
//         "end", "text", "aligned", "nbest": [{"text", "score",
//         "attention_score", "ctc_score"}], "words": [{"word", "start", "end",
//         "confidence"}]}]}]}; times in s, scores in nats
//   srt   SubRip subtitles, one file only
//   vtt   WebVTT subtitles, one file only
//   ctm   NIST/Kaldi CTM: "KEY 1 START DURATION WORD CONFIDENCE" per word
// Segments without text appear in JSON only.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "asr/transcribe/subtitle_cues.h"
#include "asr/transcribe/transcript.h"
#include "asr/util/json_writer.h"

namespace verbatim {

enum class TranscriptionFormat { kText, kJson, kSrt, kVtt, kCtm };
// "text" | "json" | "srt" | "vtt" | "ctm" (Parse throws Error naming them).
TranscriptionFormat ParseTranscriptionFormat(const std::string& name);
std::string TranscriptionFormatName(TranscriptionFormat format);  // also the file extension

class TranscriptWriter {
 public:
  // `with_keys`: text lines start with the file's key.
  TranscriptWriter(std::ostream& out, TranscriptionFormat format, bool with_keys = false,
                   const SubtitleOptions& subtitles = {});
  // Writes one file's transcript; SRT and VTT take only one (throws Error).
  void Write(const FileTranscript& transcript);
  // Ends the document (closes the JSON); call once after the last Write.
  void Finish();

 private:
  void WriteJson(const FileTranscript& t);
  void WriteSubtitles(const FileTranscript& t);
  void WriteCtm(const FileTranscript& t);

  std::ostream& out_;
  TranscriptionFormat format_;
  bool with_keys_;
  SubtitleOptions subtitles_;
  std::unique_ptr<JsonWriter> json_;
  int files_ = 0;
};

}  // namespace verbatim
