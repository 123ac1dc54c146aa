// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// SpecAugment (Park et al., Interspeech 2019) on a feature matrix: time warp,
// frequency masks and time masks, in that order (ESPnet's order), in place.
// Time masks are either a fixed number of a fixed maximum width, or adaptive
// to the utterance length (Park et al., ICASSP 2020, "SpecAugment on large
// scale datasets"): count = floor(p_M * T), max width = min(T_max, floor(p_S * T)).
//
// The defaults follow ESPnet's LibriSpeech recipes: W = 5, two frequency
// masks of up to 27 bins, two time masks of up to 40 frames, masks set to 0.
// Zero suits features that are mean-normalized before (or after, when the
// network normalizes) augmentation; for raw log-mel features prefer kMean.
//
// Every random draw comes from verbatim::Random, so the same seed gives the
// same result on every platform.
#pragma once

#include <cstdint>
#include <vector>

#include "base/option_registry.h"
#include "base/random.h"
#include "frontend/feature_matrix.h"

namespace verbatim {

struct SpecAugmentOptions {
  // Time warp: a centre frame c in [W, T - W) moves to c + w, w uniform in
  // [-W, W] (but never onto frame 0 or T - 1, which stay in place); both sides
  // are stretched linearly.
  int time_warp_window = 5;  // frames (W); 0 disables; skipped when T <= 2 W

  // Frequency masks: width uniform in [0, F], start uniform over the valid range.
  int num_freq_masks = 2;        // masks per utterance
  int freq_mask_max_width = 27;  // bins (F), clamped to the feature dimension C

  // Time masks: width uniform in [0, max width], start uniform over the valid range.
  enum class TimeMaskPolicy {
    kFixed,     // num_time_masks masks of up to time_mask_max_width frames
    kAdaptive,  // floor(adaptive_count_ratio * T) masks (at most adaptive_max_num_masks)
                // of up to min(time_mask_max_width, floor(adaptive_width_ratio * T)) frames
  };
  TimeMaskPolicy time_mask_policy = TimeMaskPolicy::kFixed;
  int num_time_masks = 2;              // masks per utterance (kFixed)
  int time_mask_max_width = 40;        // frames (T_max), upper bound of the width in both policies
  double adaptive_count_ratio = 0.04;  // masks per frame (p_M, kAdaptive; Park 2020's LibriSpeech)
  int adaptive_max_num_masks = 20;     // masks, cap on the adaptive count (kAdaptive); 0 = no cap
  double adaptive_width_ratio = 0.05;  // fraction of T (p_S, kAdaptive; Park 2020's LibriSpeech)

  enum class MaskValue {
    kZero,  // masked cells become 0
    kMean,  // masked cells become the mean of all cells, taken after the warp, before masking
  };
  MaskValue mask_value = MaskValue::kZero;

  void Register(OptionRegistry* registry);
};

// A masked band: [start, start + width) frames (time masks) or bins
// (frequency masks). A width of 0 masks nothing.
struct SpecAugmentMask {
  int start = 0;
  int width = 0;
};

// What one Apply() did, for logging and for tests.
struct SpecAugmentRecord {
  bool warped = false;   // whether a time warp was drawn (false when skipped)
  int warp_centre = -1;  // frames, the source frame c that was moved (when warped)
  int warp_target = -1;  // frames, where frame c landed (== c means identity)
  std::vector<SpecAugmentMask> freq_masks;  // bins, in the order applied
  std::vector<SpecAugmentMask> time_masks;  // frames, in the order applied
  float mask_value = 0.0f;                  // the value written into masked cells
};

class SpecAugment {
 public:
  // Throws Error on negative counts or widths, or ratios outside [0, 1].
  explicit SpecAugment(const SpecAugmentOptions& opts = {});

  const SpecAugmentOptions& options() const { return opts_; }

  // Augments `features` (T frames x C bins) in place; the shape is kept.
  // Empty matrices are left alone.
  SpecAugmentRecord Apply(FeatureMatrix* features, Random* rng) const;
  // The same with a fresh Random(seed).
  SpecAugmentRecord ApplyWithSeed(FeatureMatrix* features, uint64_t seed) const;

  // Number of time masks and their maximum width (frames) for a T-frame
  // utterance under the configured policy.
  int NumTimeMasks(int num_frames) const;
  int MaxTimeMaskWidth(int num_frames) const;

 private:
  void TimeWarp(FeatureMatrix* features, Random* rng, SpecAugmentRecord* record) const;
  void MaskFrequencies(FeatureMatrix* features, Random* rng, SpecAugmentRecord* record) const;
  void MaskTimes(FeatureMatrix* features, Random* rng, SpecAugmentRecord* record) const;

  SpecAugmentOptions opts_;
};

}  // namespace verbatim
