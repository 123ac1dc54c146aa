// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/transcriber.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "asr/search/ctc_forced_alignment.h"
#include "asr/transcribe/word_timing.h"
#include "asr/util/parallel_for.h"
#include "base/error.h"
#include "frontend/audio_reader.h"

namespace verbatim {
namespace {

// Feature frames below which a segment is skipped: the convolutional front
// end needs 15 frames for one output frame at subsampling 8 (7 at 4), and a
// segment this short (0.16 s) holds no word anyway.
constexpr int64_t kMinSegmentFrames = 16;

// The file name without directory and extension; blanks become '_' so that
// the key is one column of a CTM or Kaldi text file.
std::string KeyOf(const std::string& path) {
  std::string key = std::filesystem::path(path).stem().string();
  for (char& c : key)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
  return key.empty() ? "audio" : key;
}

// `text` with runs of blanks collapsed and no blank at either end (a
// hypothesis may hold consecutive word markers).
std::string CollapseSpaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

void TranscriberOptions::Validate() const {
  vad.Validate();
  search_options.Validate();
  Check(batch_size > 0, "transcribe: batch size must be positive");
  Check(threads > 0, "transcribe: threads must be positive");
  Check(read_block_s > 0.0, "transcribe: read block must be positive");
}

Transcriber::Transcriber(const LoadedModel& model, const TranscriberOptions& opts)
    : model_(model),
      opts_(opts),
      features_(model),
      decoder_(model.model, opts.search, opts.search_options, opts.device) {
  opts_.Validate();
  const ModelOptions& m = model.config.model;
  ctc_frame_s_ = m.subsampling * features_.frame_shift_s();
  // A segment must fit the model's positional codes.
  Check(opts_.vad.max_segment_s / ctc_frame_s_ < m.max_positions,
        "transcribe: segments of " + std::to_string(opts_.vad.max_segment_s) +
            " s exceed the model's " + std::to_string(m.max_positions) + " positions");
}

FileTranscript Transcriber::Transcribe(const std::string& path, const Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  FileTranscript out;
  out.path = path;
  out.key = KeyOf(path);
  AudioReadOptions read_opts;
  read_opts.sample_rate_hz = features_.sample_rate_hz();
  AudioFileReader reader(path, read_opts);  // throws "path: no audio samples" etc.
  const int rate = reader.output_rate_hz();
  const double total_s = reader.info().DurationSeconds();
  const int64_t block =
      std::max<int64_t>(1, std::llround(opts_.read_block_s * reader.info().sample_rate_hz));

  EnergyVad vad(opts_.vad, rate);
  std::vector<float> buffer;  // samples [buffer_start, buffer_start + size) of the file
  int64_t buffer_start = 0;
  std::vector<SpeechSegment> found;
  std::vector<PendingSegment> pending;
  bool more = true;
  while (more) {
    const size_t old_size = buffer.size();
    more = reader.Read(block, &buffer);
    vad.Accept(buffer.data() + old_size, buffer.size() - old_size, &found);
    if (!more) vad.Finish(&found);
    for (const SpeechSegment& s : found) {
      PendingSegment p{static_cast<double>(s.begin) / rate, static_cast<double>(s.end) / rate,
                       std::vector<float>(buffer.begin() + (s.begin - buffer_start),
                                          buffer.begin() + (s.end - buffer_start))};
      pending.push_back(std::move(p));
      if (pending.size() >= static_cast<size_t>(opts_.batch_size)) DecodeSegments(&pending, &out);
    }
    found.clear();
    const int64_t drop = std::min<int64_t>(vad.FirstPendingSample() - buffer_start,
                                           static_cast<int64_t>(buffer.size()));
    if (drop > 0) {
      buffer.erase(buffer.begin(), buffer.begin() + drop);
      buffer_start += drop;
    }
    if (progress) progress(static_cast<double>(vad.num_samples()) / rate, total_s);
  }
  DecodeSegments(&pending, &out);
  out.duration_s = static_cast<double>(vad.num_samples()) / rate;
  out.compute_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void Transcriber::DecodeSegments(std::vector<PendingSegment>* pending, FileTranscript* out) {
  std::vector<FeatureMatrix> feats(pending->size());
  ParallelFor(pending->size(), opts_.threads,
              [&](size_t i) { feats[i] = features_.Compute((*pending)[i].samples); });
  std::vector<FeatureMatrix> batch;
  std::vector<size_t> index;  // pending segment of each batch entry
  for (size_t i = 0; i < feats.size(); ++i) {
    if (feats[i].num_frames < kMinSegmentFrames) continue;
    batch.push_back(std::move(feats[i]));
    index.push_back(i);
  }
  const std::vector<DecodedUtterance> decoded = decoder_.Decode(batch, true);
  for (size_t b = 0; b < decoded.size(); ++b) {
    const PendingSegment& p = (*pending)[index[b]];
    TranscriptSegment segment;
    segment.start_s = p.start_s;
    segment.end_s = p.end_s;
    for (const Hypothesis& h : decoded[b].result.nbest)
      segment.nbest.push_back(
          TranscriptHypothesis{CollapseSpaces(model_.tokenizer.Decode(h.tokens)), h.score,
                               h.attention_score, h.ctc_score});
    if (!decoded[b].result.nbest.empty()) {
      const std::vector<int>& tokens = decoded[b].result.nbest[0].tokens;
      const auto alignment = CtcForcedAlign(decoded[b].ctc_log_probs, tokens);
      segment.aligned = alignment.has_value();
      WordTimingOptions timing;
      timing.frame_s = ctc_frame_s_;
      timing.offset_s = p.start_s;
      timing.end_s = p.end_s;
      segment.words = WordsFromAlignment(tokens, alignment, model_.tokenizer, timing);
    }
    out->segments.push_back(std::move(segment));
  }
  pending->clear();
}

}  // namespace verbatim
