// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/training_progress.h"

#include <unistd.h>

#include <cstdio>

namespace verbatim {

TrainingProgress::TrainingProgress() : tty_(isatty(2) != 0) {}

void TrainingProgress::EndStepLine() {
  if (step_line_open_) std::fprintf(stderr, "\n");
  step_line_open_ = false;
}

void TrainingProgress::StaleFilesRemoved(int count) {
  EndStepLine();
  std::fprintf(stderr, "removed %d temporary file(s) left by a killed run\n", count);
}

void TrainingProgress::Started(const std::string& checkpoint, int64_t epoch, int64_t batch,
                               int64_t step, int dropped_log_lines) {
  EndStepLine();
  if (!checkpoint.empty())
    std::fprintf(stderr, "resuming from %s (epoch %lld, batch %lld, step %lld; ",
                 checkpoint.c_str(), static_cast<long long>(epoch), static_cast<long long>(batch),
                 static_cast<long long>(step));
  else if (dropped_log_lines > 0)
    std::fprintf(stderr, "starting at step 0 (");
  if (!checkpoint.empty() || dropped_log_lines > 0)
    std::fprintf(stderr, "%d later log line(s) dropped)\n", dropped_log_lines);
}

void TrainingProgress::Stepped(const StepReport& r) {
  const LossValues& m = r.mean;
  std::fprintf(stderr,
               "%sepoch %lld step %lld batch %lld/%lld loss %.3f (ctc %.3f att %.3f) acc %.3f "
               "lr %.2e %.0fx real time%s",
               tty_ ? "\r" : "", static_cast<long long>(r.epoch), static_cast<long long>(r.step),
               static_cast<long long>(r.batch), static_cast<long long>(r.batches), m.total, m.ctc,
               m.attention, m.accuracy, r.learning_rate, r.audio_seconds_per_second,
               tty_ ? "   " : "\n");
  step_line_open_ = tty_;
}

void TrainingProgress::Skipped(int64_t epoch, int64_t batch, const std::string& reason,
                               int64_t /*count*/, int64_t in_a_row) {
  EndStepLine();
  std::fprintf(stderr, "warning: epoch %lld batch %lld: %s, skipped (%lld in a row)\n",
               static_cast<long long>(epoch), static_cast<long long>(batch), reason.c_str(),
               static_cast<long long>(in_a_row));
}

void TrainingProgress::EpochTrained(int64_t /*epoch*/) { EndStepLine(); }

void TrainingProgress::Validated(int64_t epoch, const ValidationResult& v) {
  EndStepLine();
  std::fprintf(stderr, "epoch %lld done: dev loss %.3f (ctc %.3f att %.3f) acc %.3f",
               static_cast<long long>(epoch), v.loss.total, v.loss.ctc, v.loss.attention,
               v.loss.accuracy);
  if (v.has_wer) std::fprintf(stderr, " ctc greedy WER %.2f%%", v.WerPercent());
  std::fprintf(stderr, "\n");
}

void TrainingProgress::Interrupted(const std::string& checkpoint, int64_t step) {
  EndStepLine();
  std::fprintf(stderr, "interrupted: checkpoint %s written at step %lld\n", checkpoint.c_str(),
               static_cast<long long>(step));
}

}  // namespace verbatim
