// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/plot/training_log_records.h"

#include "base/error.h"

namespace verbatim {
namespace {

double StepOf(const FlatJsonObject& record) {
  const std::optional<double> step = record.Number("step");
  Check(step.has_value(), record.where() + ": record without a numeric \"step\"");
  return *step;
}

// Appends `record` to `records` (increasing step), first dropping the records
// at or after its step; returns true when something was dropped.
bool AppendInOrder(std::vector<FlatJsonObject>* records, FlatJsonObject record, double step) {
  bool dropped = false;
  while (!records->empty() && StepOf(records->back()) >= step) {
    records->pop_back();
    dropped = true;
  }
  records->push_back(std::move(record));
  return dropped;
}

}  // namespace

TrainingLogRecords ReadTrainingLog(const std::string& path) {
  TrainingLogRecords log;
  for (FlatJsonObject& record : ReadJsonLines(path)) {
    const std::optional<std::string> type = record.String("type");
    Check(type.has_value(), record.where() + ": record without a \"type\" string");
    if (*type != "step" && *type != "epoch") continue;
    const double step = StepOf(record);
    if (*type == "step") {
      // A step going back starts a new run: its older epochs go too.
      if (AppendInOrder(&log.steps, std::move(record), step)) {
        ++log.restarts;
        while (!log.epochs.empty() && StepOf(log.epochs.back()) >= step) log.epochs.pop_back();
      }
    } else {
      // Validation at the same step as a logged one is normal; going back is a restart.
      if (!log.epochs.empty() && StepOf(log.epochs.back()) >= step) ++log.restarts;
      AppendInOrder(&log.epochs, std::move(record), step);
    }
  }
  return log;
}

std::optional<double> DevValue(const FlatJsonObject& epoch, const std::string& name) {
  if (auto v = epoch.Number("dev_" + name)) return v;
  return epoch.Number(name);
}

}  // namespace verbatim
