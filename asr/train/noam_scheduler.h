// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The Noam / warmup learning-rate schedule (ESPnet's WarmupLR, WeNet's
// warmuplr): linear rise to `peak_lr` over `warmup_steps` optimizer steps,
// then decay as 1 / sqrt(step).
#pragma once

#include <cstdint>

namespace verbatim {

struct NoamOptions {
  double peak_lr = 1e-3;         // learning rate at the end of warm-up
  int64_t warmup_steps = 25000;  // optimizer steps
};

class NoamScheduler {
 public:
  explicit NoamScheduler(const NoamOptions& opts);
  // Learning rate for optimizer step `step` (1-based).
  double LearningRate(int64_t step) const;

 private:
  NoamOptions opts_;
};

}  // namespace verbatim
