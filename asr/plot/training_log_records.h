// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The trainer's JSON Lines log (EXP/train.log.jsonl, asr/train/trainer.cc):
//   {"type":"step","epoch":0,"step":20,"loss":..,"ctc":..,"attention":..,
//    "guided":..,"accuracy":..,"lr":..,...}        training averages since the last line
//   {"type":"epoch","epoch":0,"step":120,"loss":..,...}  validation at an epoch's end
// Validation values may also be named "dev_loss", "dev_accuracy", ...
// (DevValue looks for both). Records of other types are ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "asr/util/flat_json.h"

namespace verbatim {

struct TrainingLogRecords {
  std::vector<FlatJsonObject> steps;   // "step" records, increasing step
  std::vector<FlatJsonObject> epochs;  // "epoch" records, increasing step
  // Times the step count went back (a resumed run re-logs the steps after
  // its checkpoint, a new run in the same directory starts again): the
  // records of the older run from that step on are dropped.
  int restarts = 0;
};

// Reads `path`. Errors name the line: "<path>:<line>: ..." (bad JSON, a
// record without "type" or without a numeric "step").
TrainingLogRecords ReadTrainingLog(const std::string& path);

// The validation value `name` of an epoch record: "dev_<name>" if present,
// else "<name>".
std::optional<double> DevValue(const FlatJsonObject& epoch, const std::string& name);

}  // namespace verbatim
