// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/transcript_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"

namespace verbatim {
namespace {

// "HH:MM:SS,mmm" (SRT) or "HH:MM:SS.mmm" (WebVTT).
std::string Timestamp(double seconds, char separator) {
  const long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, separator, ms % 1000);
  return buf;
}

}  // namespace

TranscriptionFormat ParseTranscriptionFormat(const std::string& name) {
  if (name == "text") return TranscriptionFormat::kText;
  if (name == "json") return TranscriptionFormat::kJson;
  if (name == "srt") return TranscriptionFormat::kSrt;
  if (name == "vtt") return TranscriptionFormat::kVtt;
  if (name == "ctm") return TranscriptionFormat::kCtm;
  throw Error("unknown transcript format '" + name + "' (text, json, srt, vtt or ctm)");
}

std::string TranscriptionFormatName(TranscriptionFormat format) {
  switch (format) {
    case TranscriptionFormat::kText:
      return "text";
    case TranscriptionFormat::kJson:
      return "json";
    case TranscriptionFormat::kSrt:
      return "srt";
    case TranscriptionFormat::kVtt:
      return "vtt";
    case TranscriptionFormat::kCtm:
      return "ctm";
  }
  return "text";
}

TranscriptWriter::TranscriptWriter(std::ostream& out, TranscriptionFormat format, bool with_keys,
                                   const SubtitleOptions& subtitles)
    : out_(out), format_(format), with_keys_(with_keys), subtitles_(subtitles) {
  subtitles_.Validate();
  if (format_ == TranscriptionFormat::kJson) {
    json_ = std::make_unique<JsonWriter>(out_);
    json_->BeginObject().Key("files").BeginArray();
  }
  if (format_ == TranscriptionFormat::kVtt) out_ << "WEBVTT\n";
}

void TranscriptWriter::Write(const FileTranscript& t) {
  ++files_;
  switch (format_) {
    case TranscriptionFormat::kText:
      out_ << (with_keys_ ? t.key : "") << (with_keys_ && !t.Text().empty() ? " " : "") << t.Text()
           << "\n";
      break;
    case TranscriptionFormat::kJson:
      WriteJson(t);
      break;
    case TranscriptionFormat::kSrt:
    case TranscriptionFormat::kVtt:
      WriteSubtitles(t);
      break;
    case TranscriptionFormat::kCtm:
      WriteCtm(t);
      break;
  }
  out_.flush();
}

void TranscriptWriter::Finish() {
  if (json_) json_->EndArray().EndObject().Finish();
  out_.flush();
}

void TranscriptWriter::WriteJson(const FileTranscript& t) {
  JsonWriter& j = *json_;
  j.BeginObject().Key("file").String(t.path).Key("key").String(t.key);
  j.Key("duration").Double(t.duration_s).Key("text").String(t.Text());
  j.Key("segments").BeginArray();
  for (const TranscriptSegment& s : t.segments) {
    j.BeginObject().Key("start").Double(s.start_s).Key("end").Double(s.end_s);
    j.Key("text").String(s.text()).Key("aligned").Bool(s.aligned);
    j.Key("nbest").BeginArray();
    for (const TranscriptHypothesis& h : s.nbest) {
      j.BeginObject(true).Key("text").String(h.text).Key("score").Double(h.score);
      j.Key("attention_score").Double(h.attention_score).Key("ctc_score").Double(h.ctc_score);
      j.EndObject();
    }
    j.EndArray().Key("words").BeginArray();
    for (const TranscriptWord& w : s.words) {
      j.BeginObject(true).Key("word").String(w.text).Key("start").Double(w.start_s);
      j.Key("end").Double(w.end_s).Key("confidence").Double(w.confidence).EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().EndObject();
}

void TranscriptWriter::WriteSubtitles(const FileTranscript& t) {
  Check(files_ == 1, TranscriptionFormatName(format_) +
                         " output holds the subtitles of one file: write several with an "
                         "output directory");
  const bool srt = format_ == TranscriptionFormat::kSrt;
  int index = 0;
  for (const SubtitleCue& cue : MakeSubtitleCues(t, subtitles_)) {
    // SRT: counter, times, text, blank line. WebVTT: blank line, times, text.
    if (srt)
      out_ << ++index << "\n";
    else
      out_ << "\n";
    out_ << Timestamp(cue.start_s, srt ? ',' : '.') << " --> "
         << Timestamp(cue.end_s, srt ? ',' : '.') << "\n"
         << cue.text << "\n";
    if (srt) out_ << "\n";
  }
}

void TranscriptWriter::WriteCtm(const FileTranscript& t) {
  char line[64];
  for (const TranscriptSegment& s : t.segments) {
    for (const TranscriptWord& w : s.words) {
      std::snprintf(line, sizeof(line), " 1 %.3f %.3f ", w.start_s,
                    std::max(0.0, w.end_s - w.start_s));
      char conf[32];
      std::snprintf(conf, sizeof(conf), " %.3f", w.confidence);
      out_ << t.key << line << w.text << conf << "\n";
    }
  }
}

}  // namespace verbatim
