// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim train`'s progress on standard error: one line per logged step
// (rewritten in place on a terminal), a line per validation, warnings for
// skipped batches, resumption and interruption.
#pragma once

#include <string>

#include "asr/train/training_observer.h"

namespace verbatim {

class TrainingProgress : public TrainingObserver {
 public:
  TrainingProgress();
  void StaleFilesRemoved(int count) override;
  void Started(const std::string& checkpoint, int64_t epoch, int64_t batch, int64_t step,
               int dropped_log_lines) override;
  void Stepped(const StepReport& report) override;
  void Skipped(int64_t epoch, int64_t batch, const std::string& reason, int64_t count,
               int64_t in_a_row) override;
  void EpochTrained(int64_t epoch) override;
  void Validated(int64_t epoch, const ValidationResult& dev) override;
  void Interrupted(const std::string& checkpoint, int64_t step) override;

 private:
  void EndStepLine();  // a step line rewritten in place ends before anything else

  bool tty_;
  bool step_line_open_ = false;
};

}  // namespace verbatim
