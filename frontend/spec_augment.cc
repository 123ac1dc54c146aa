// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/spec_augment.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {
namespace {

// Writes rows [src_begin, src_end) of `src`, stretched or squeezed linearly
// along time, into rows [dst_begin, dst_end) of `dst`. The end rows map onto
// the end rows (Park et al.'s warp keeps the boundary points fixed).
void StretchRows(const FeatureMatrix& src, int src_begin, int src_end, FeatureMatrix* dst,
                 int dst_begin, int dst_end) {
  const int n_src = src_end - src_begin;
  const int n_dst = dst_end - dst_begin;
  const double scale = n_dst > 1 ? static_cast<double>(n_src - 1) / (n_dst - 1) : 0.0;
  for (int i = 0; i < n_dst; ++i) {
    const double pos = i * scale;
    const int i0 = std::min(static_cast<int>(pos), n_src - 1);
    const int i1 = std::min(i0 + 1, n_src - 1);
    const float frac = static_cast<float>(pos - i0);
    const float* a = src.Row(src_begin + i0);
    const float* b = src.Row(src_begin + i1);
    float* out = dst->Row(dst_begin + i);
    for (int d = 0; d < src.dim; ++d) out[d] = a[d] + frac * (b[d] - a[d]);
  }
}

float MeanOf(const FeatureMatrix& m) {
  double sum = 0.0;
  for (float v : m.data) sum += v;
  return m.data.empty() ? 0.0f : static_cast<float>(sum / m.data.size());
}

void CheckNonNegative(int value, const char* name) {
  Check(value >= 0,
        std::string("SpecAugment: ") + name + " must be >= 0, got " + std::to_string(value));
}

void CheckRatio(double value, const char* name) {
  Check(value >= 0.0 && value <= 1.0,
        std::string("SpecAugment: ") + name + " must be in [0, 1], got " + std::to_string(value));
}

}  // namespace

void SpecAugmentOptions::Register(OptionRegistry* r) {
  r->Register("time_warp_window", &time_warp_window, "time warp window W, frames (0 = off)");
  r->Register("num_freq_masks", &num_freq_masks, "frequency masks per utterance");
  r->Register("freq_mask_max_width", &freq_mask_max_width, "widest frequency mask F, bins");
  RegisterEnum(r, "time_mask_policy", &time_mask_policy,
               {{"fixed", TimeMaskPolicy::kFixed}, {"adaptive", TimeMaskPolicy::kAdaptive}},
               "fixed: num_time_masks masks; adaptive: in proportion to length");
  r->Register("num_time_masks", &num_time_masks, "time masks per utterance (fixed policy)");
  r->Register("time_mask_max_width", &time_mask_max_width, "widest time mask, frames");
  r->Register("adaptive_count_ratio", &adaptive_count_ratio,
              "time masks per frame (adaptive policy)");
  r->Register("adaptive_max_num_masks", &adaptive_max_num_masks,
              "most time masks per utterance (adaptive policy; 0 = no cap)");
  r->Register("adaptive_width_ratio", &adaptive_width_ratio,
              "widest time mask, fraction of the utterance's frames (adaptive policy)");
  RegisterEnum(r, "mask_value", &mask_value,
               {{"zero", MaskValue::kZero}, {"mean", MaskValue::kMean}},
               "what masked cells become: 0, or the mean of all cells");
}

SpecAugment::SpecAugment(const SpecAugmentOptions& opts) : opts_(opts) {
  CheckNonNegative(opts.time_warp_window, "time_warp_window");
  CheckNonNegative(opts.num_freq_masks, "num_freq_masks");
  CheckNonNegative(opts.freq_mask_max_width, "freq_mask_max_width");
  CheckNonNegative(opts.num_time_masks, "num_time_masks");
  CheckNonNegative(opts.time_mask_max_width, "time_mask_max_width");
  CheckNonNegative(opts.adaptive_max_num_masks, "adaptive_max_num_masks");
  CheckRatio(opts.adaptive_count_ratio, "adaptive_count_ratio");
  CheckRatio(opts.adaptive_width_ratio, "adaptive_width_ratio");
}

int SpecAugment::NumTimeMasks(int num_frames) const {
  if (opts_.time_mask_policy == SpecAugmentOptions::TimeMaskPolicy::kFixed)
    return opts_.num_time_masks;
  const int count = static_cast<int>(std::floor(opts_.adaptive_count_ratio * num_frames));
  return opts_.adaptive_max_num_masks > 0 ? std::min(count, opts_.adaptive_max_num_masks) : count;
}

int SpecAugment::MaxTimeMaskWidth(int num_frames) const {
  int width = opts_.time_mask_max_width;
  if (opts_.time_mask_policy == SpecAugmentOptions::TimeMaskPolicy::kAdaptive)
    width = std::min(width, static_cast<int>(std::floor(opts_.adaptive_width_ratio * num_frames)));
  return std::max(0, std::min(width, num_frames));
}

SpecAugmentRecord SpecAugment::Apply(FeatureMatrix* features, Random* rng) const {
  Check(features != nullptr && rng != nullptr, "SpecAugment::Apply: null argument");
  Check(features->data.size() == static_cast<size_t>(features->num_frames) * features->dim,
        "SpecAugment::Apply: matrix data does not match its shape");
  SpecAugmentRecord record;
  if (features->num_frames <= 0 || features->dim <= 0) return record;
  TimeWarp(features, rng, &record);
  if (opts_.mask_value == SpecAugmentOptions::MaskValue::kMean)
    record.mask_value = MeanOf(*features);
  MaskFrequencies(features, rng, &record);
  MaskTimes(features, rng, &record);
  return record;
}

SpecAugmentRecord SpecAugment::ApplyWithSeed(FeatureMatrix* features, uint64_t seed) const {
  Random rng(seed);
  return Apply(features, &rng);
}

void SpecAugment::TimeWarp(FeatureMatrix* features, Random* rng, SpecAugmentRecord* record) const {
  const int window = opts_.time_warp_window;
  const int num_frames = features->num_frames;
  if (window <= 0 || num_frames - window <= window) return;  // no centre in [W, T - W)
  const int centre = static_cast<int>(rng->UniformInt(window, num_frames - window - 1));
  // Targets 0 and T - 1 are excluded so that frames 0 and T - 1 stay in place
  // (each only matters for a centre at the edge of its range).
  const int target = static_cast<int>(
      rng->UniformInt(std::max(centre - window, 1), std::min(centre + window, num_frames - 2)));
  record->warped = true;
  record->warp_centre = centre;
  record->warp_target = target;
  if (target == centre) return;
  const FeatureMatrix source = *features;
  StretchRows(source, 0, centre, features, 0, target);
  StretchRows(source, centre, num_frames, features, target, num_frames);
}

void SpecAugment::MaskFrequencies(FeatureMatrix* features, Random* rng,
                                  SpecAugmentRecord* record) const {
  const int dim = features->dim;
  const int max_width = std::min(opts_.freq_mask_max_width, dim);
  for (int m = 0; m < opts_.num_freq_masks; ++m) {
    SpecAugmentMask mask;
    mask.width = static_cast<int>(rng->UniformInt(0, max_width));
    mask.start = static_cast<int>(rng->UniformInt(0, dim - mask.width));
    for (int t = 0; t < features->num_frames; ++t) {
      float* row = features->Row(t);
      std::fill(row + mask.start, row + mask.start + mask.width, record->mask_value);
    }
    record->freq_masks.push_back(mask);
  }
}

void SpecAugment::MaskTimes(FeatureMatrix* features, Random* rng, SpecAugmentRecord* record) const {
  const int num_frames = features->num_frames;
  const int count = NumTimeMasks(num_frames);
  const int max_width = MaxTimeMaskWidth(num_frames);
  for (int m = 0; m < count; ++m) {
    SpecAugmentMask mask;
    mask.width = static_cast<int>(rng->UniformInt(0, max_width));
    mask.start = static_cast<int>(rng->UniformInt(0, num_frames - mask.width));
    std::fill(features->Row(mask.start), features->Row(mask.start) + mask.width * features->dim,
              record->mask_value);
    record->time_masks.push_back(mask);
  }
}

}  // namespace verbatim
