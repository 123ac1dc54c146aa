// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The learning-rate schedules against their closed forms, written here
// independently: Noam = peak * min(s / w, sqrt(w / s)); cosine = warm-up,
// then peak * (r + (1 - r) * (1 + cos(pi * p)) / 2) with p the share of the
// steps after warm-up.
#include "asr/train/lr_scheduler.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "base/error.h"

namespace verbatim {
namespace {

TEST_CASE("noam rises linearly and decays as 1/sqrt(step)", "[train][lr]") {
  LrScheduler s(LrScheduleOptions{2e-3, 100, "noam", 0.02});
  CHECK(s.LearningRate(1) == Approx(2e-3 / 100));
  CHECK(s.LearningRate(50) == Approx(1e-3));
  CHECK(s.LearningRate(100) == Approx(2e-3));
  CHECK(s.LearningRate(400) == Approx(1e-3));  // sqrt(100 / 400) = 1/2
  CHECK(s.LearningRate(10000) == Approx(2e-4));
}

TEST_CASE("cosine falls from the peak to its floor at the last step", "[train][lr]") {
  LrScheduler s(LrScheduleOptions{1e-3, 10, "cosine", 0.1});
  s.SetTotalSteps(110);
  CHECK(s.LearningRate(5) == Approx(5e-4));
  CHECK(s.LearningRate(10) == Approx(1e-3));
  CHECK(s.LearningRate(60) == Approx(1e-3 * (0.1 + 0.9 * 0.5)));  // halfway: cos = 0
  CHECK(s.LearningRate(35) == Approx(1e-3 * (0.1 + 0.9 * 0.5 * (1 + std::cos(M_PI / 4)))));
  CHECK(s.LearningRate(110) == Approx(1e-4));
  CHECK(s.LearningRate(500) == Approx(1e-4));  // past the end: the floor
  double previous = 1.0;
  for (int step = 10; step <= 110; ++step) {
    CHECK(s.LearningRate(step) <= previous);
    previous = s.LearningRate(step);
  }
}

TEST_CASE("schedules reject bad options", "[train][lr]") {
  CHECK_THROWS_AS(LrScheduler(LrScheduleOptions{1e-3, 10, "linear", 0.1}), Error);
  CHECK_THROWS_AS(LrScheduler(LrScheduleOptions{1e-3, 0, "noam", 0.1}), Error);
  CHECK_THROWS_AS(LrScheduler(LrScheduleOptions{1e-3, 10, "cosine", 1.5}), Error);
  LrScheduler s(LrScheduleOptions{1e-3, 10, "cosine", 0.1});
  CHECK_THROWS_AS(s.LearningRate(20), Error);  // no total steps given
}

}  // namespace
}  // namespace verbatim
