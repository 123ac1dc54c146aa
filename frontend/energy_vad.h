// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Energy-based voice activity detection, to cut long recordings into
// segments a recognizer can take one at a time. Streaming: samples go in
// block by block and finished segments come out as soon as they are known,
// so an hour of audio never needs to be in memory (only one float per frame
// is kept, 180 k floats per hour at 20 ms frames).
//
// A frame is speech when its energy lies `threshold_db` above an adaptive
// noise floor and above the absolute gate `min_energy_dbfs`. The floor
// starts at the quietest frame of the first `init_window_ms`, falls at once
// to any quieter frame and rises by `floor_rise_db_per_s` otherwise, so it
// follows slowly rising noise but not speech (which has dips between
// syllables). Runs of speech closer than `min_silence_ms` are merged, runs
// shorter than `min_speech_ms` dropped, segments padded by `padding_ms` on
// both sides (without overlapping), and a segment longer than
// `max_segment_s` is split at the quietest point of its second half.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace verbatim {

struct EnergyVadOptions {
  int frame_ms = 20;                 // ms, frame length (frames do not overlap)
  double threshold_db = 10.0;        // dB above the noise floor for a frame to be speech
  double min_energy_dbfs = -60.0;    // dBFS (mean square / 32768^2), absolute gate
  double floor_rise_db_per_s = 2.0;  // dB/s, how fast the noise floor may rise
  int init_window_ms = 3000;         // ms, the first floor is the quietest frame of this window
  int min_speech_ms = 150;           // ms, shorter runs of speech are dropped
  int min_silence_ms = 500;          // ms, shorter pauses do not end a segment
  int padding_ms = 200;              // ms, added before and after each segment
  double max_segment_s = 20.0;       // s, longer segments are split
  void Validate() const;             // throws Error on out-of-range values
};

// A segment of speech, in samples of the signal given to the detector.
struct SpeechSegment {
  int64_t begin = 0;  // first sample
  int64_t end = 0;    // one past the last sample
};

class EnergyVad {
 public:
  // `sample_rate_hz` of the samples to come (16-bit integer scale, as
  // frontend/audio_reader.h delivers them).
  EnergyVad(const EnergyVadOptions& opts, int sample_rate_hz);

  // Appends `n` samples; segments that became final are appended to `done`
  // in order.
  void Accept(const float* samples, size_t n, std::vector<SpeechSegment>* done);
  // Ends the signal: the remaining segments are appended to `done`.
  void Finish(std::vector<SpeechSegment>* done);

  // Samples before this index will never be part of a future segment (the
  // caller may drop them).
  int64_t FirstPendingSample() const;
  int64_t num_samples() const { return num_samples_; }

 private:
  void AddFrameEnergy(double mean_square, std::vector<SpeechSegment>* done);
  void Classify(int64_t frame, std::vector<SpeechSegment>* done);
  void CloseSegment(int64_t end_frame, std::vector<SpeechSegment>* done);
  void SplitLongSegment(std::vector<SpeechSegment>* done);
  void Emit(int64_t begin_frame, int64_t end_frame, std::vector<SpeechSegment>* done);

  EnergyVadOptions opts_;
  int frame_length_;  // samples
  int64_t init_frames_, min_speech_frames_, min_silence_frames_, padding_frames_, max_frames_;
  double rise_per_frame_;  // dB

  std::vector<float> energy_db_;  // dBFS of every frame so far
  std::vector<float> partial_;    // samples of the unfinished frame
  int64_t num_samples_ = 0;
  int64_t classified_ = 0;  // frames classified so far
  double floor_db_ = 0.0;
  bool floor_ready_ = false;

  bool open_ = false;         // a segment is under way
  int64_t seg_begin_ = 0;     // its first frame (padding included)
  int64_t first_speech_ = 0;  // its first speech frame
  int64_t last_speech_ = 0;   // its last speech frame
  int64_t emitted_end_ = 0;   // frame where the last emitted segment ended
  bool finished_ = false;
};

// Segments of a whole signal (Accept + Finish).
std::vector<SpeechSegment> DetectSpeech(const std::vector<float>& samples, int sample_rate_hz,
                                        const EnergyVadOptions& opts = {});

}  // namespace verbatim
