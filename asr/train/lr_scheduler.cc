// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/lr_scheduler.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace verbatim {

void LrScheduleOptions::Register(OptionRegistry* r) {
  r->Register("peak_lr", &peak_lr, "learning rate at the end of warm-up");
  r->Register("warmup_steps", &warmup_steps, "optimizer steps of the linear warm-up");
  r->Register("lr_schedule", &schedule, "after warm-up: noam (1 / sqrt(step)) or cosine");
  r->Register("final_lr_ratio", &final_lr_ratio,
              "cosine: the last step's learning rate, fraction of peak_lr");
}

LrScheduler::LrScheduler(const LrScheduleOptions& opts) : opts_(opts) {
  Check(opts.peak_lr > 0 && opts.warmup_steps >= 1,
        "learning-rate schedule: peak_lr and warmup_steps must be positive");
  Check(opts.schedule == "noam" || opts.schedule == "cosine",
        "learning-rate schedule must be noam or cosine, got '" + opts.schedule + "'");
  Check(opts.final_lr_ratio >= 0 && opts.final_lr_ratio <= 1,
        "learning-rate schedule: final_lr_ratio must be in [0, 1]");
}

void LrScheduler::SetTotalSteps(int64_t total_steps) { total_steps_ = total_steps; }

double LrScheduler::LearningRate(int64_t step) const {
  const double s = static_cast<double>(std::max<int64_t>(step, 1));
  const double w = static_cast<double>(opts_.warmup_steps);
  if (s < w) return opts_.peak_lr * s / w;
  if (opts_.schedule == "noam") return opts_.peak_lr * std::sqrt(w / s);
  Check(total_steps_ > 0, "learning-rate schedule: cosine needs the run's total steps");
  const double span = std::max(static_cast<double>(total_steps_) - w, 1.0);
  const double progress = std::min((s - w) / span, 1.0);
  const double low = opts_.final_lr_ratio;
  return opts_.peak_lr * (low + (1.0 - low) * 0.5 * (1.0 + std::cos(M_PI * progress)));
}

}  // namespace verbatim
