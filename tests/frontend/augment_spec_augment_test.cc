// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// SpecAugment: masks within their bounds, masked cells and only those
// changed, seeded reproducibility, adaptive time masks, time warp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/error.h"
#include "frontend/spec_augment.h"

namespace verbatim {
namespace {

using Policy = SpecAugmentOptions::TimeMaskPolicy;

// Distinct, nonzero values everywhere, so that any change is visible.
FeatureMatrix Pattern(int frames, int dim) {
  FeatureMatrix m(frames, dim);
  for (int t = 0; t < frames; ++t)
    for (int d = 0; d < dim; ++d) m(t, d) = 1.0f + 0.01f * t + 0.37f * std::sin(0.7 * d + t);
  return m;
}

SpecAugmentOptions NoWarp() {
  SpecAugmentOptions opts;
  opts.time_warp_window = 0;
  return opts;
}

bool InMasks(const std::vector<SpecAugmentMask>& masks, int i) {
  for (const auto& m : masks)
    if (i >= m.start && i < m.start + m.width) return true;
  return false;
}

// Every cell inside a recorded mask holds the mask value; every other cell is
// unchanged.
void CheckMaskedCells(const FeatureMatrix& before, const FeatureMatrix& after,
                      const SpecAugmentRecord& record) {
  REQUIRE(after.num_frames == before.num_frames);
  REQUIRE(after.dim == before.dim);
  int wrong = 0;
  for (int t = 0; t < before.num_frames; ++t)
    for (int d = 0; d < before.dim; ++d) {
      const bool masked = InMasks(record.time_masks, t) || InMasks(record.freq_masks, d);
      wrong += masked ? after(t, d) != record.mask_value : after(t, d) != before(t, d);
    }
  CHECK(wrong == 0);
}

TEST_CASE("SpecAugment masks stay within their bounds", "[augment][specaugment]") {
  SpecAugment augment(NoWarp());  // defaults: 2 x F=27, 2 x T=40
  int freq_width_sum = 0, freq_count = 0, max_freq = 0, min_freq = 99;
  int time_width_sum = 0, time_count = 0, max_time = 0;
  int at_low_edge = 0, at_high_edge = 0;  // masks touching the first / last bin or frame
  for (uint64_t seed = 0; seed < 500; ++seed) {
    FeatureMatrix m = Pattern(120, 80);
    const FeatureMatrix before = m;
    const SpecAugmentRecord record = augment.ApplyWithSeed(&m, seed);
    REQUIRE(record.freq_masks.size() == 2);
    REQUIRE(record.time_masks.size() == 2);
    for (const auto& mask : record.freq_masks) {
      CHECK(mask.width >= 0);
      CHECK(mask.width <= 27);
      CHECK(mask.start >= 0);
      CHECK(mask.start + mask.width <= 80);
      at_low_edge += mask.width > 0 && mask.start == 0;
      at_high_edge += mask.width > 0 && mask.start + mask.width == 80;
      freq_width_sum += mask.width, ++freq_count;
      max_freq = std::max(max_freq, mask.width), min_freq = std::min(min_freq, mask.width);
    }
    for (const auto& mask : record.time_masks) {
      CHECK(mask.width >= 0);
      CHECK(mask.width <= 40);
      CHECK(mask.start >= 0);
      CHECK(mask.start + mask.width <= 120);
      at_low_edge += mask.width > 0 && mask.start == 0;
      at_high_edge += mask.width > 0 && mask.start + mask.width == 120;
      time_width_sum += mask.width, ++time_count, max_time = std::max(max_time, mask.width);
    }
    CHECK(record.mask_value == 0.0f);
    CheckMaskedCells(before, m, record);
  }
  // Widths are uniform in [0, F] and [0, T]: means near F/2 and T/2, extremes reached.
  CHECK(std::abs(double(freq_width_sum) / freq_count - 13.5) < 1.0);
  CHECK(std::abs(double(time_width_sum) / time_count - 20.0) < 1.5);
  CHECK(max_freq == 27);
  CHECK(min_freq == 0);
  CHECK(max_time == 40);
  // Every position can be masked, the edges included.
  CHECK(at_low_edge > 10);
  CHECK(at_high_edge > 10);
}

TEST_CASE("SpecAugment clamps the frequency mask to the dimension", "[augment][specaugment]") {
  SpecAugmentOptions opts = NoWarp();
  opts.num_freq_masks = 5;
  SpecAugment augment(opts);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    FeatureMatrix m = Pattern(30, 13);  // F = 27 > C = 13
    const FeatureMatrix before = m;
    const auto record = augment.ApplyWithSeed(&m, seed);
    for (const auto& mask : record.freq_masks) {
      CHECK(mask.width <= 13);
      CHECK(mask.start + mask.width <= 13);
    }
    CheckMaskedCells(before, m, record);
  }
}

TEST_CASE("SpecAugment can fill masks with the utterance mean", "[augment][specaugment]") {
  SpecAugmentOptions opts = NoWarp();
  opts.mask_value = SpecAugmentOptions::MaskValue::kMean;
  SpecAugment augment(opts);
  FeatureMatrix m = Pattern(200, 40);
  double sum = 0.0;
  for (float v : m.data) sum += v;
  const float mean = static_cast<float>(sum / m.data.size());
  const FeatureMatrix before = m;
  const auto record = augment.ApplyWithSeed(&m, 11);
  CHECK(record.mask_value == Approx(mean).epsilon(1e-6));
  CHECK(record.mask_value != 0.0f);
  CheckMaskedCells(before, m, record);
}

TEST_CASE("SpecAugment is reproducible from its seed", "[augment][specaugment]") {
  SpecAugment augment;  // defaults, with time warp
  const FeatureMatrix original = Pattern(300, 80);
  FeatureMatrix a = original, b = original, c = original;
  const auto ra = augment.ApplyWithSeed(&a, 42);
  const auto rb = augment.ApplyWithSeed(&b, 42);
  augment.ApplyWithSeed(&c, 43);
  CHECK(a.data == b.data);
  CHECK(ra.warp_centre == rb.warp_centre);
  CHECK(ra.warp_target == rb.warp_target);
  CHECK(a.data != c.data);
  CHECK(a.data != original.data);
  // A shared generator gives a different draw on the second call.
  Random rng(42);
  FeatureMatrix d = original, e = original;
  augment.Apply(&d, &rng);
  augment.Apply(&e, &rng);
  CHECK(d.data == a.data);
  CHECK(e.data != d.data);
  // Different seeds give different masks (almost) always.
  int distinct = 0;
  for (uint64_t seed = 100; seed < 120; ++seed) {
    FeatureMatrix f = original;
    augment.ApplyWithSeed(&f, seed);
    distinct += f.data != a.data;
  }
  CHECK(distinct == 20);
}

TEST_CASE("SpecAugment adaptive time masks scale with the length", "[augment][specaugment]") {
  SpecAugmentOptions opts = NoWarp();
  opts.time_mask_policy = Policy::kAdaptive;
  opts.time_mask_max_width = 1000;  // let p_S decide
  SpecAugment augment(opts);
  for (int frames : {10, 24, 25, 100, 249, 500, 1000, 2000}) {
    const int expected_count = std::min(20, static_cast<int>(0.04 * frames));  // p_M = 0.04, cap 20
    const int expected_width = static_cast<int>(0.05 * frames);                // p_S = 0.05
    INFO(frames << " frames");
    CHECK(augment.NumTimeMasks(frames) == expected_count);
    CHECK(augment.MaxTimeMaskWidth(frames) == expected_width);
    for (uint64_t seed = 0; seed < 20; ++seed) {
      FeatureMatrix m = Pattern(frames, 8);
      const FeatureMatrix before = m;
      const auto record = augment.ApplyWithSeed(&m, seed);
      REQUIRE(static_cast<int>(record.time_masks.size()) == expected_count);
      for (const auto& mask : record.time_masks) {
        CHECK(mask.width <= expected_width);
        CHECK(mask.start + mask.width <= frames);
      }
      CheckMaskedCells(before, m, record);
    }
  }
  // T_max still bounds the adaptive width.
  opts.time_mask_max_width = 40;
  CHECK(SpecAugment(opts).MaxTimeMaskWidth(2000) == 40);
  CHECK(SpecAugment(opts).MaxTimeMaskWidth(400) == 20);
  // No cap on the count when adaptive_max_num_masks is 0.
  opts.adaptive_max_num_masks = 0;
  CHECK(SpecAugment(opts).NumTimeMasks(2000) == 80);
}

TEST_CASE("SpecAugment fixed time masks do not depend on the length", "[augment][specaugment]") {
  SpecAugment augment(NoWarp());
  for (int frames : {5, 50, 500}) {
    CHECK(augment.NumTimeMasks(frames) == 2);
    CHECK(augment.MaxTimeMaskWidth(frames) == std::min(40, frames));
  }
}

TEST_CASE("SpecAugment time warp keeps the shape and moves the centre", "[augment][specaugment]") {
  SpecAugmentOptions opts;
  opts.time_warp_window = 5;
  opts.num_freq_masks = 0;
  opts.num_time_masks = 0;
  SpecAugment augment(opts);
  int moved = 0, min_offset = 0, max_offset = 0;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    // Column 0 holds the frame index, so the warp's time map can be read off.
    FeatureMatrix m(60, 3);
    for (int t = 0; t < 60; ++t) m(t, 0) = t, m(t, 1) = 2.0f * t, m(t, 2) = 7.0f;
    const auto record = augment.ApplyWithSeed(&m, seed);
    REQUIRE(m.num_frames == 60);
    REQUIRE(m.dim == 3);
    REQUIRE(record.warped);
    CHECK(record.warp_centre >= 5);
    CHECK(record.warp_centre < 55);
    const int offset = record.warp_target - record.warp_centre;
    CHECK(std::abs(offset) <= 5);
    min_offset = std::min(min_offset, offset), max_offset = std::max(max_offset, offset);
    moved += offset != 0;
    // Park et al.'s warp: the piecewise-linear time map that fixes frames 0
    // and T - 1 and sends frame c to c + w; a constant column stays constant.
    const double c = record.warp_centre, w = record.warp_target;
    CHECK(m(0, 0) == 0.0f);
    CHECK(m(59, 0) == Approx(59.0));
    CHECK(m(record.warp_target, 0) == Approx(c));
    int off_map = 0;
    for (int t = 0; t < 60; ++t) {
      const double source =
          t < w ? t * (c - 1) / std::max(w - 1, 1.0) : c + (t - w) * (59 - c) / (59 - w);
      off_map += std::abs(m(t, 0) - source) > 1e-4;
      off_map += std::abs(m(t, 1) - 2.0 * source) > 2e-4;
      off_map += m(t, 2) != 7.0f;
    }
    CHECK(off_map == 0);
  }
  CHECK(moved > 300);
  CHECK(min_offset == -5);
  CHECK(max_offset == 5);
}

TEST_CASE("SpecAugment with W = 0 leaves unmasked cells alone", "[augment][specaugment]") {
  SpecAugment augment(NoWarp());
  FeatureMatrix m = Pattern(80, 20);
  const FeatureMatrix before = m;
  const auto record = augment.ApplyWithSeed(&m, 5);
  CHECK_FALSE(record.warped);
  CheckMaskedCells(before, m, record);
  // With no masks either, nothing changes at all.
  SpecAugmentOptions opts = NoWarp();
  opts.num_freq_masks = 0;
  opts.num_time_masks = 0;
  FeatureMatrix n = before;
  SpecAugment(opts).ApplyWithSeed(&n, 5);
  CHECK(n.data == before.data);
}

TEST_CASE("SpecAugment survives very short utterances", "[augment][specaugment]") {
  SpecAugmentOptions opts;
  opts.time_warp_window = 5;
  for (Policy policy : {Policy::kFixed, Policy::kAdaptive}) {
    opts.time_mask_policy = policy;
    SpecAugment augment(opts);
    for (int frames : {0, 1, 2, 5, 10, 11}) {
      INFO(frames << " frames");
      FeatureMatrix m = Pattern(frames, 80);
      const auto record = augment.ApplyWithSeed(&m, 9);
      CHECK(m.num_frames == frames);
      CHECK(m.data.size() == static_cast<size_t>(frames) * 80);
      CHECK(record.warped == (frames > 10));  // warp needs T > 2 W
      for (const auto& mask : record.time_masks) CHECK(mask.start + mask.width <= frames);
    }
  }
  FeatureMatrix empty_dim(10, 0);
  CHECK_NOTHROW(SpecAugment().ApplyWithSeed(&empty_dim, 1));
}

TEST_CASE("SpecAugment rejects bad options", "[augment][specaugment]") {
  SpecAugmentOptions opts;
  opts.freq_mask_max_width = -1;
  CHECK_THROWS_WITH(SpecAugment(opts), Catch::Contains("freq_mask_max_width"));
  opts = SpecAugmentOptions();
  opts.adaptive_width_ratio = 1.5;
  CHECK_THROWS_WITH(SpecAugment(opts), Catch::Contains("adaptive_width_ratio"));
  FeatureMatrix m(3, 3);
  CHECK_THROWS_AS(SpecAugment().Apply(&m, nullptr), Error);
}

}  // namespace
}  // namespace verbatim
