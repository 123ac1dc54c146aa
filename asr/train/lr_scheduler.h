// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Learning-rate schedules, both with a linear warm-up to `peak_lr`:
// - "noam" (ESPnet's WarmupLR, WeNet's warmuplr): then decay as
//   1 / sqrt(step), without an end; right for long runs of unknown length.
// - "cosine": then a half cosine from `peak_lr` down to
//   `final_lr_ratio` x `peak_lr` at the last step of the run. Short runs with
//   a fixed budget (the mini recipe) end lower and better with it, since the
//   learning rate is still large when a Noam run stops.
#pragma once

#include <cstdint>
#include <string>

#include "base/option_registry.h"

namespace verbatim {

struct LrScheduleOptions {
  double peak_lr = 1e-3;          // learning rate at the end of warm-up
  int64_t warmup_steps = 25000;   // optimizer steps
  std::string schedule = "noam";  // "noam" or "cosine"
  double final_lr_ratio = 0.02;   // cosine: last learning rate / peak_lr

  void Register(OptionRegistry* registry);  // peak_lr, warmup_steps, lr_schedule, final_lr_ratio
};

class LrScheduler {
 public:
  explicit LrScheduler(const LrScheduleOptions& opts);
  // The run's length in optimizer steps (cosine needs it; noam ignores it).
  void SetTotalSteps(int64_t total_steps);
  // Learning rate for optimizer step `step` (1-based).
  double LearningRate(int64_t step) const;

 private:
  LrScheduleOptions opts_;
  int64_t total_steps_ = 0;
};

}  // namespace verbatim
