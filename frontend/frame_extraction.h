// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Cutting a waveform into overlapping windowed frames, exactly as Kaldi's
// feature-window.{h,cc} does (frame counts, edge handling, dither, DC removal,
// pre-emphasis, window functions), so that features match compute-fbank-feats.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/option_registry.h"
#include "base/random.h"

namespace verbatim {

enum class WindowType { kPovey, kHamming, kHanning, kRectangular, kBlackman, kSine };

// Parses Kaldi's names: "povey", "hamming", "hanning", "rectangular",
// "blackman", "sine". Throws Error on anything else.
WindowType ParseWindowType(const std::string& name);
std::string WindowTypeName(WindowType type);

struct FrameExtractionOptions {
  float sample_frequency = 16000.0f;  // Hz; must match the waveform
  float frame_shift_ms = 10.0f;       // ms between frame starts
  float frame_length_ms = 25.0f;      // ms per frame
  float dither = 1.0f;  // std-dev of Gaussian noise added to samples (16-bit sample units); 0 = off
  float preemphasis_coefficient = 0.97f;  // unitless; 0 = off
  bool remove_dc_offset = true;           // subtract each frame's mean
  WindowType window_type = WindowType::kPovey;
  bool round_to_power_of_two = true;  // zero-pad each frame to the next power of two for the FFT
  float blackman_coeff = 0.42f;       // unitless, only for the blackman window
  // true: only frames that fit entirely in the signal. false: frames centred
  // on multiples of the shift, with the signal reflected at its edges.
  bool snip_edges = true;
  uint64_t dither_seed = 0;  // seed of the dither noise (Kaldi's own RNG is not reproducible)

  // Kaldi's names: sample_frequency, frame_length, frame_shift, dither, ...
  void Register(OptionRegistry* registry);
  int WindowShift() const;       // samples
  int WindowSize() const;        // samples
  int PaddedWindowSize() const;  // samples, the FFT length
  void Validate() const;         // throws Error on inconsistent values
};

// Number of frames for a signal of `num_samples` samples. With `flush` false
// (streaming, more input may come), frames that would reach past the end of
// the samples seen so far are not counted.
int64_t NumFrames(int64_t num_samples, const FrameExtractionOptions& opts, bool flush = true);

// Index of the first sample of frame `frame`; negative before the signal
// starts when snip_edges is false.
int64_t FirstSampleOfFrame(int64_t frame, const FrameExtractionOptions& opts);

// The window function, precomputed once (WindowSize() values).
class FeatureWindow {
 public:
  explicit FeatureWindow(const FrameExtractionOptions& opts);

  // Extracts frame `frame` of `wave` into `out` (PaddedWindowSize() values),
  // then dithers, removes DC, pre-emphasizes, windows and zero-pads it.
  // `wave` holds samples [sample_offset, sample_offset + num_samples) of the
  // signal. If `raw_log_energy` is not null it receives the log energy of the
  // frame before pre-emphasis and windowing (Kaldi's raw energy).
  void ExtractFrame(const float* wave, int64_t num_samples, int64_t sample_offset, int64_t frame,
                    Random* dither_rng, float* out, float* raw_log_energy) const;

  const std::vector<float>& window() const { return window_; }

 private:
  void PreemphasizeAndWindow(const float* in, int length, float mean, float* out) const;
  void PreemphasizeAndWindowInPlace(float* x, int length, float mean) const;

  FrameExtractionOptions opts_;
  int padded_length_;          // opts_.PaddedWindowSize(), samples
  std::vector<float> window_;  // opts_.WindowSize() values
};

}  // namespace verbatim
