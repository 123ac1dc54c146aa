// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/frame_extraction.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

int RoundUpToPowerOfTwo(int n) {
  int p = 1;
  while (p < n) p <<= 1;
  return p;
}

// Kaldi's reflection of an out-of-range index back into [0, dim).
int64_t ReflectIndex(int64_t i, int64_t dim) {
  while (i < 0 || i >= dim) i = i < 0 ? -i - 1 : 2 * dim - 1 - i;
  return i;
}

// The sums below use eight partial sums so that GCC vectorizes them (one
// running sum fixes the order of the additions and stays scalar). Kaldi sums
// with BLAS, which reorders too; and integer samples (no dither) sum exactly
// in any order while the sum stays below 2^24.
constexpr int kLanes = 8;

float Sum(const float* x, int n) {
  float acc[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += x[i + j];
  for (int j = 0; i < n; ++i, ++j) acc[j] += x[i];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

// Sum of (x[i] - mean)^2.
float SumOfSquares(const float* x, int n, float mean) {
  float acc[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const float d = x[i + j] - mean;
      acc[j] += d * d;
    }
  }
  for (int j = 0; i < n; ++i, ++j) {
    const float d = x[i] - mean;
    acc[j] += d * d;
  }
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

}  // namespace

WindowType ParseWindowType(const std::string& name) {
  if (name == "povey") return WindowType::kPovey;
  if (name == "hamming") return WindowType::kHamming;
  if (name == "hanning") return WindowType::kHanning;
  if (name == "rectangular") return WindowType::kRectangular;
  if (name == "blackman") return WindowType::kBlackman;
  if (name == "sine") return WindowType::kSine;
  throw Error("unknown window type '" + name +
              "' (expected povey, hamming, hanning, rectangular, blackman or sine)");
}

std::string WindowTypeName(WindowType type) {
  switch (type) {
    case WindowType::kPovey:
      return "povey";
    case WindowType::kHamming:
      return "hamming";
    case WindowType::kHanning:
      return "hanning";
    case WindowType::kRectangular:
      return "rectangular";
    case WindowType::kBlackman:
      return "blackman";
    case WindowType::kSine:
      return "sine";
  }
  return "povey";
}

// Kaldi truncates (not rounds) the products below, and computes them in
// double (its 0.001 is a double literal); in float a few rates and lengths
// land one sample off, e.g. 11025 Hz * 30.839 ms gives 340 instead of 339.
void FrameExtractionOptions::Register(OptionRegistry* r) {
  r->Register("sample_frequency", &sample_frequency,
              "sample rate of the features, Hz (audio is resampled to it)");
  r->Register("frame_length", &frame_length_ms, "frame length, ms");
  r->Register("frame_shift", &frame_shift_ms, "frame shift, ms");
  r->Register("dither", &dither, "dither noise, 16-bit sample units (0 = none)");
  r->Register("dither_seed", &dither_seed, "seed of the dither noise");
  r->Register("preemphasis_coefficient", &preemphasis_coefficient,
              "pre-emphasis coefficient (0 = none)");
  r->Register("remove_dc_offset", &remove_dc_offset, "subtract the mean of each frame");
  RegisterNamed(r, "window_type", &window_type, ParseWindowType, WindowTypeName,
                {"povey", "hamming", "hanning", "rectangular", "blackman", "sine"},
                "window function");
  r->Register("round_to_power_of_two", &round_to_power_of_two,
              "zero-pad frames to a power of two for the FFT");
  r->Register("blackman_coeff", &blackman_coeff, "constant of the blackman window");
  r->Register("snip_edges", &snip_edges,
              "only frames that fit in the signal (true), or centred frames with reflected "
              "edges (false)");
}

int FrameExtractionOptions::WindowShift() const {
  return static_cast<int>(static_cast<double>(sample_frequency) * 0.001 * frame_shift_ms);
}
int FrameExtractionOptions::WindowSize() const {
  return static_cast<int>(static_cast<double>(sample_frequency) * 0.001 * frame_length_ms);
}
int FrameExtractionOptions::PaddedWindowSize() const {
  return round_to_power_of_two ? RoundUpToPowerOfTwo(WindowSize()) : WindowSize();
}

void FrameExtractionOptions::Validate() const {
  Check(sample_frequency > 0, "sample frequency must be positive");
  Check(WindowShift() > 0, "frame shift must be at least one sample");
  Check(WindowSize() >= 2, "frame length must be at least two samples");
  Check(dither >= 0, "dither must not be negative");
  Check(preemphasis_coefficient >= 0 && preemphasis_coefficient <= 1,
        "preemphasis coefficient must be in [0, 1]");
}

int64_t NumFrames(int64_t num_samples, const FrameExtractionOptions& opts, bool flush) {
  const int64_t shift = opts.WindowShift();
  const int64_t length = opts.WindowSize();
  if (opts.snip_edges) return num_samples < length ? 0 : 1 + (num_samples - length) / shift;
  int64_t num_frames = (num_samples + shift / 2) / shift;
  if (flush) return num_frames;
  // Without flush, drop frames whose end lies beyond the samples seen so far.
  int64_t end = FirstSampleOfFrame(num_frames - 1, opts) + length;
  while (num_frames > 0 && end > num_samples) {
    --num_frames;
    end -= shift;
  }
  return num_frames;
}

int64_t FirstSampleOfFrame(int64_t frame, const FrameExtractionOptions& opts) {
  const int64_t shift = opts.WindowShift();
  if (opts.snip_edges) return frame * shift;
  return frame * shift + shift / 2 - opts.WindowSize() / 2;
}

FeatureWindow::FeatureWindow(const FrameExtractionOptions& opts)
    : opts_(opts), padded_length_(opts.PaddedWindowSize()) {
  opts.Validate();
  const int n = opts.WindowSize();
  window_.resize(n);
  const double a = kTwoPi / (n - 1);
  for (int i = 0; i < n; ++i) {
    const double x = i;
    double w = 1.0;
    switch (opts.window_type) {
      case WindowType::kHanning:
        w = 0.5 - 0.5 * std::cos(a * x);
        break;
      case WindowType::kSine:
        w = std::sin(0.5 * a * x);
        break;
      case WindowType::kHamming:
        w = 0.54 - 0.46 * std::cos(a * x);
        break;
      case WindowType::kPovey:
        w = std::pow(0.5 - 0.5 * std::cos(a * x), 0.85);
        break;
      case WindowType::kRectangular:
        w = 1.0;
        break;
      case WindowType::kBlackman:
        w = opts.blackman_coeff - 0.5 * std::cos(a * x) +
            (0.5 - opts.blackman_coeff) * std::cos(2 * a * x);
        break;
    }
    window_[i] = static_cast<float>(w);
  }
}

void FeatureWindow::ExtractFrame(const float* wave, int64_t num_samples, int64_t sample_offset,
                                 int64_t frame, Random* dither_rng, float* out,
                                 float* raw_log_energy) const {
  const int length = static_cast<int>(window_.size());
  const int padded = padded_length_;
  const int64_t start = FirstSampleOfFrame(frame, opts_) - sample_offset;
  const bool dither = opts_.dither != 0.0f && dither_rng != nullptr;
  const bool inside = start >= 0 && start + length <= num_samples;
  // The common case reads the frame straight from `wave`; reflected edges and
  // dither first need a copy, which is then processed in place.
  const float* frame_samples = out;
  if (inside && !dither) {
    frame_samples = wave + start;
  } else {
    if (inside) {
      std::memcpy(out, wave + start, sizeof(float) * length);
    } else {
      Check(num_samples > 0, "cannot extract a frame from an empty signal");
      for (int i = 0; i < length; ++i) out[i] = wave[ReflectIndex(start + i, num_samples)];
    }
    if (dither) {
      for (int i = 0; i < length; ++i)
        out[i] += static_cast<float>(dither_rng->Gaussian()) * opts_.dither;
    }
  }
  if (padded > length) std::fill(out + length, out + padded, 0.0f);

  const float mean = opts_.remove_dc_offset ? Sum(frame_samples, length) / length : 0.0f;
  if (raw_log_energy != nullptr) {
    const float energy = SumOfSquares(frame_samples, length, mean);
    *raw_log_energy = std::log(std::max(energy, std::numeric_limits<float>::epsilon()));
  }
  if (frame_samples == out) {
    PreemphasizeAndWindowInPlace(out, length, mean);
  } else {
    PreemphasizeAndWindow(frame_samples, length, mean, out);
  }
}

// DC removal, pre-emphasis and windowing in one pass, Kaldi's arithmetic:
// y[i] = ((x[i] - mean) - coeff * (x[i-1] - mean)) * w[i], with x[-1] = x[0].
// Without pre-emphasis coeff is 0 and the product vanishes exactly.
void FeatureWindow::PreemphasizeAndWindow(const float* __restrict in, int length, float mean,
                                          float* __restrict out) const {
  const float coeff = opts_.preemphasis_coefficient;
  const float* __restrict w = window_.data();
  out[0] = ((in[0] - mean) - coeff * (in[0] - mean)) * w[0];
  for (int i = 1; i < length; ++i) out[i] = ((in[i] - mean) - coeff * (in[i - 1] - mean)) * w[i];
}

// The same in place: backwards, so that x[i-1] is read before it is overwritten.
void FeatureWindow::PreemphasizeAndWindowInPlace(float* x, int length, float mean) const {
  const float coeff = opts_.preemphasis_coefficient;
  const float* w = window_.data();
  for (int i = length - 1; i > 0; --i) x[i] = ((x[i] - mean) - coeff * (x[i - 1] - mean)) * w[i];
  x[0] = ((x[0] - mean) - coeff * (x[0] - mean)) * w[0];
}

}  // namespace verbatim
