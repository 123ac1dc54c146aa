// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/noam_scheduler.h"

#include <algorithm>
#include <cmath>

#include "frontend/error.h"

namespace verbatim {

NoamScheduler::NoamScheduler(const NoamOptions& opts) : opts_(opts) {
  Check(opts.peak_lr > 0 && opts.warmup_steps >= 1,
        "learning-rate schedule: peak_lr and warmup_steps must be positive");
}

double NoamScheduler::LearningRate(int64_t step) const {
  const double s = static_cast<double>(std::max<int64_t>(step, 1));
  const double w = static_cast<double>(opts_.warmup_steps);
  return opts_.peak_lr * std::min(s / w, std::sqrt(w / s));
}

}  // namespace verbatim
