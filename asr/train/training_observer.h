// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// What the trainer reports while it runs, on the main rank of a
// data-parallel job only. The library never prints: `verbatim train` shows
// these on the terminal (tools/training_progress.h), tests record them, and
// EXP/train.log.jsonl keeps the numbers whatever the observer does.
#pragma once

#include <cstdint>
#include <string>

#include "asr/train/loss_values.h"
#include "asr/train/validation.h"

namespace verbatim {

// Training figures averaged since the previous report (every log_interval
// optimizer steps), over all ranks.
struct StepReport {
  int64_t epoch = 0;
  int64_t step = 0;     // optimizer steps done
  int64_t batch = 0;    // batches of this epoch done on this rank
  int64_t batches = 0;  // batches of this epoch on this rank
  LossValues mean;      // per-utterance means
  double learning_rate = 0.0;
  double audio_seconds_per_second = 0.0;  // training speed, x real time
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  // Temporary files of a killed run were removed from EXP/checkpoints.
  virtual void StaleFilesRemoved(int /*count*/) {}
  // The run starts from `checkpoint` ("" for a new run) at `step`, after
  // dropping `dropped_log_lines` records of steps after it from the log.
  virtual void Started(const std::string& /*checkpoint*/, int64_t /*epoch*/, int64_t /*batch*/,
                       int64_t /*step*/, int /*dropped_log_lines*/) {}
  virtual void Stepped(const StepReport& /*report*/) {}
  // `count` batches (or a step's gradients) were not finite and skipped;
  // `in_a_row` such events without a good step between them.
  virtual void Skipped(int64_t /*epoch*/, int64_t /*batch*/, const std::string& /*reason*/,
                       int64_t /*count*/, int64_t /*in_a_row*/) {}
  // The training part of an epoch is over (validation follows, if any).
  virtual void EpochTrained(int64_t /*epoch*/) {}
  virtual void Validated(int64_t /*epoch*/, const ValidationResult& /*dev*/) {}
  // A stop request was honoured: `checkpoint` was written at `step`.
  virtual void Interrupted(const std::string& /*checkpoint*/, int64_t /*step*/) {}
};

}  // namespace verbatim
