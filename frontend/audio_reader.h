// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Reading audio files through libsndfile (WAV, FLAC, OGG/Vorbis, and whatever
// else the installed libsndfile knows), mixed down to mono and resampled to
// the target rate. Samples come out at Kaldi's scale: the 16-bit integer range
// (a full-scale sine peaks at 32768), whatever the file's own sample format.
//
// Every failure throws Error with a message that starts with the file name:
// missing, empty, truncated or corrupt files, files without samples, NaN or
// infinite samples, unknown formats, bad options.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "frontend/resampler.h"

namespace verbatim {

struct AudioReadOptions {
  int sample_rate_hz = 16000;  // Hz, output rate; 0 keeps the file's own rate
  int channel = -1;            // channel index; -1 averages all channels, k >= 0 takes channel k
  // s, how far a segment's end may lie past the end of the file; such ends are
  // clamped to it (segment lists are often imprecise; Kaldi's extract-segments
  // allows the same 0.5 s). Ends further out are an error.
  double max_segment_overshoot_s = 0.5;
  ResamplerOptions resampler;
};

struct AudioInfo {
  int sample_rate_hz = 0;  // Hz, the file's own rate
  int num_channels = 0;
  int64_t num_frames = 0;  // samples per channel, at the file's own rate
  std::string format;      // container and encoding, e.g. "WAV PCM_16", "FLAC PCM_24", "OGG VORBIS"
  double DurationSeconds() const {
    return sample_rate_hz > 0 ? static_cast<double>(num_frames) / sample_rate_hz : 0.0;
  }
};

struct Waveform {
  std::vector<float> samples;  // mono, 16-bit integer scale
  int sample_rate_hz = 0;      // Hz
  double DurationSeconds() const {
    return sample_rate_hz > 0 ? static_cast<double>(samples.size()) / sample_rate_hz : 0.0;
  }
};

// Reads a file block by block, so that hours of audio never need to be in
// memory at once. Not thread-safe; one reader per thread.
class AudioFileReader {
 public:
  AudioFileReader(const std::string& path, const AudioReadOptions& opts = {});
  // Reads from memory: `data` (not owned) must outlive the reader; `name`
  // stands for the file in error messages.
  AudioFileReader(const void* data, size_t size, const std::string& name,
                  const AudioReadOptions& opts = {});
  ~AudioFileReader();
  AudioFileReader(const AudioFileReader&) = delete;
  AudioFileReader& operator=(const AudioFileReader&) = delete;

  const AudioInfo& info() const { return info_; }
  const std::string& name() const { return name_; }
  int output_rate_hz() const;

  // Moves to input frame `frame` (file rate). Call before the first Read.
  void Seek(int64_t frame);
  // Reads up to `max_input_frames` frames of the file, appends the converted
  // output samples to `out`. Returns false once the end was reached (the
  // resampler is then flushed into `out`). Throws when the file ends before
  // the length its header announced (truncated or corrupt data); only MP3,
  // whose length libsndfile estimates, may end early, and info() then
  // reports the true length.
  bool Read(int64_t max_input_frames, std::vector<float>* out);
  // Ends reading early (e.g. at the end of a segment): flushes the resampler
  // into `out`. Reading to the end of the file does this by itself.
  void Finish(std::vector<float>* out);

 private:
  struct Impl;
  void Open();
  void CheckWavDataSize();
  [[noreturn]] void Fail(const std::string& problem) const;
  void MixDown(const float* interleaved, int64_t frames, std::vector<float>* mono) const;

  std::string name_;
  AudioReadOptions opts_;
  AudioInfo info_;
  std::unique_ptr<Impl> impl_;
};

AudioInfo ReadAudioInfo(const std::string& path);
Waveform ReadAudio(const std::string& path, const AudioReadOptions& opts = {});
// Reads [start_s, end_s) seconds of `path`; end_s < 0 means to the end. The
// result is the slice [round(start_s * rate), round(end_s * rate)) of what
// ReadAudio returns (to float rounding when resampling), without decoding the
// rest of the file. Throws for start_s < 0, start_s >= end_s, start_s at or
// past the end of the file, or end_s more than opts.max_segment_overshoot_s
// past it.
Waveform ReadAudioSegment(const std::string& path, double start_s, double end_s,
                          const AudioReadOptions& opts = {});
// Decodes a whole in-memory file; `name` is used in error messages.
Waveform DecodeAudio(const void* data, size_t size, const std::string& name,
                     const AudioReadOptions& opts = {});

}  // namespace verbatim
