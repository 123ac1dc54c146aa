// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/energy_vad.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kFullScaleSquare = 32768.0 * 32768.0;
constexpr double kQuietestDb = -120.0;  // dBFS given to digital silence
constexpr int64_t kSmoothRadius = 2;    // frames either side when looking for a pause

double ToDbfs(double mean_square) {
  return std::max(kQuietestDb, 10.0 * std::log10(mean_square / kFullScaleSquare + 1e-30));
}

int64_t MsToFrames(double ms, int frame_ms) {
  return static_cast<int64_t>(std::ceil(ms / frame_ms - 1e-9));
}

}  // namespace

void EnergyVadOptions::Validate() const {
  Check(frame_ms > 0, "energy VAD: frame_ms must be positive");
  Check(threshold_db >= 0.0, "energy VAD: threshold_db must be >= 0");
  Check(floor_rise_db_per_s >= 0.0, "energy VAD: floor_rise_db_per_s must be >= 0");
  Check(init_window_ms >= frame_ms, "energy VAD: init_window_ms must be at least one frame");
  Check(min_speech_ms >= 0 && min_silence_ms >= 0 && padding_ms >= 0,
        "energy VAD: durations must be >= 0");
  Check(max_segment_s * 1000.0 >= 10.0 * frame_ms + 2.0 * padding_ms,
        "energy VAD: max_segment_s must hold at least 10 frames plus the padding");
}

EnergyVad::EnergyVad(const EnergyVadOptions& opts, int sample_rate_hz) : opts_(opts) {
  opts_.Validate();
  Check(sample_rate_hz > 0, "energy VAD: sample rate must be positive");
  frame_length_ = static_cast<int>(std::lround(sample_rate_hz * opts_.frame_ms / 1000.0));
  Check(frame_length_ > 0, "energy VAD: frame shorter than one sample");
  init_frames_ = MsToFrames(opts_.init_window_ms, opts_.frame_ms);
  min_speech_frames_ = MsToFrames(opts_.min_speech_ms, opts_.frame_ms);
  min_silence_frames_ = std::max<int64_t>(1, MsToFrames(opts_.min_silence_ms, opts_.frame_ms));
  padding_frames_ = MsToFrames(opts_.padding_ms, opts_.frame_ms);
  max_frames_ = static_cast<int64_t>(opts_.max_segment_s * 1000.0 / opts_.frame_ms);
  rise_per_frame_ = opts_.floor_rise_db_per_s * opts_.frame_ms / 1000.0;
}

void EnergyVad::Accept(const float* samples, size_t n, std::vector<SpeechSegment>* done) {
  Check(!finished_, "energy VAD: Accept after Finish");
  num_samples_ += static_cast<int64_t>(n);
  size_t i = 0;
  while (i < n) {
    const size_t take = std::min(n - i, static_cast<size_t>(frame_length_) - partial_.size());
    partial_.insert(partial_.end(), samples + i, samples + i + take);
    i += take;
    if (partial_.size() < static_cast<size_t>(frame_length_)) break;
    double sum = 0.0;
    for (float x : partial_) sum += static_cast<double>(x) * x;
    partial_.clear();
    AddFrameEnergy(sum / frame_length_, done);
  }
}

void EnergyVad::Finish(std::vector<SpeechSegment>* done) {
  if (finished_) return;
  finished_ = true;
  if (!partial_.empty()) {
    double sum = 0.0;
    for (float x : partial_) sum += static_cast<double>(x) * x;
    const double mean_square = sum / partial_.size();
    partial_.clear();
    AddFrameEnergy(mean_square, done);
  }
  if (!floor_ready_ && !energy_db_.empty()) {
    floor_db_ = *std::min_element(energy_db_.begin(), energy_db_.end());
    floor_ready_ = true;
    while (classified_ < static_cast<int64_t>(energy_db_.size())) Classify(classified_, done);
  }
  if (open_) CloseSegment(last_speech_ + 1, done);
}

int64_t EnergyVad::FirstPendingSample() const {
  const int64_t frame = open_ ? seg_begin_ : std::max(emitted_end_, classified_ - padding_frames_);
  return std::max<int64_t>(0, frame) * frame_length_;
}

void EnergyVad::AddFrameEnergy(double mean_square, std::vector<SpeechSegment>* done) {
  energy_db_.push_back(static_cast<float>(ToDbfs(mean_square)));
  const int64_t frames = static_cast<int64_t>(energy_db_.size());
  if (!floor_ready_) {
    // The floor is unknown until the first window is seen: a recording may
    // start with speech, and its loudness must not become the floor.
    if (frames < init_frames_) return;
    floor_db_ = *std::min_element(energy_db_.begin(), energy_db_.end());
    floor_ready_ = true;
  }
  while (classified_ < frames) Classify(classified_, done);
}

void EnergyVad::Classify(int64_t frame, std::vector<SpeechSegment>* done) {
  const double e = energy_db_[frame];
  floor_db_ = std::min(floor_db_ + rise_per_frame_, e);
  const bool speech = e >= floor_db_ + opts_.threshold_db && e >= opts_.min_energy_dbfs;
  classified_ = frame + 1;
  if (speech) {
    if (!open_) {
      open_ = true;
      first_speech_ = frame;
      seg_begin_ = std::max(frame - padding_frames_, emitted_end_);
    }
    last_speech_ = frame;
  } else if (open_ && frame - last_speech_ >= min_silence_frames_) {
    CloseSegment(last_speech_ + 1, done);
  }
  if (open_ && classified_ - seg_begin_ > max_frames_) SplitLongSegment(done);
}

void EnergyVad::CloseSegment(int64_t end_frame, std::vector<SpeechSegment>* done) {
  open_ = false;
  if (end_frame - first_speech_ < min_speech_frames_) return;  // a click, not speech
  const int64_t frames = static_cast<int64_t>(energy_db_.size());
  const int64_t end = std::min({end_frame + padding_frames_, frames, seg_begin_ + max_frames_});
  Emit(seg_begin_, end, done);
}

// The open segment has grown past the maximum: emit it up to the quietest
// point of its second half (energy smoothed over a few frames, so that the
// cut falls into a pause rather than onto one quiet frame inside a word).
void EnergyVad::SplitLongSegment(std::vector<SpeechSegment>* done) {
  const int64_t lo = seg_begin_ + max_frames_ / 2, hi = seg_begin_ + max_frames_;
  const int64_t frames = static_cast<int64_t>(energy_db_.size());
  int64_t best = hi;
  double best_energy = std::numeric_limits<double>::infinity();
  for (int64_t q = lo; q < hi; ++q) {
    double sum = 0.0;
    int count = 0;
    for (int64_t k = std::max<int64_t>(0, q - kSmoothRadius);
         k <= std::min(frames - 1, q + kSmoothRadius); ++k, ++count)
      sum += std::pow(10.0, energy_db_[k] / 10.0);
    const double mean = sum / count;
    if (mean < best_energy) best_energy = mean, best = q;
  }
  Emit(seg_begin_, best, done);
  seg_begin_ = best;
  first_speech_ = std::max(first_speech_, best);
  if (last_speech_ < best) {
    // The cut fell into the silence after the last speech: nothing is open.
    open_ = false;
  }
}

void EnergyVad::Emit(int64_t begin_frame, int64_t end_frame, std::vector<SpeechSegment>* done) {
  if (end_frame <= begin_frame) return;
  SpeechSegment s;
  s.begin = begin_frame * frame_length_;
  s.end = std::min(end_frame * frame_length_, num_samples_);
  if (s.end > s.begin) done->push_back(s);
  emitted_end_ = end_frame;
}

std::vector<SpeechSegment> DetectSpeech(const std::vector<float>& samples, int sample_rate_hz,
                                        const EnergyVadOptions& opts) {
  EnergyVad vad(opts, sample_rate_hz);
  std::vector<SpeechSegment> segments;
  vad.Accept(samples.data(), samples.size(), &segments);
  vad.Finish(&segments);
  return segments;
}

}  // namespace verbatim
