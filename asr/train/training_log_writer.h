// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The trainer's JSON Lines log, EXP/train.log.jsonl: one object per logged
// step, skipped batch and epoch, appended line by line. A resumed run redoes
// the steps that a killed run took after its last checkpoint; DropAfterStep
// removes their first record beforehand, so that the log reads as one
// uninterrupted run (`verbatim plot` would otherwise draw those steps twice).
#pragma once

#include <cstdint>
#include <string>

namespace verbatim {

class TrainingLogWriter {
 public:
  explicit TrainingLogWriter(std::string path) : path_(std::move(path)) {}

  // Appends one line (a JSON object without its newline).
  void Append(const std::string& json_line) const;

  // Rewrites the log without the records of steps after `step` and without
  // lines that are not JSON objects (a line cut by the kill), atomically
  // (temporary file, then rename). Returns how many lines it removed; a
  // missing log removes nothing.
  int DropAfterStep(int64_t step) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace verbatim
