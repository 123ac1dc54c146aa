// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/training_log_writer.h"

#include <fstream>
#include <vector>

#include "asr/util/flat_json.h"
#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

// True when `line` is a record of a step after `step`, or not a JSON object.
bool Redone(const std::string& line, int64_t step, const std::string& where) {
  try {
    const auto record = FlatJsonObject::Parse(line, where);
    const auto line_step = record.Number("step");
    return line_step && *line_step > static_cast<double>(step);
  } catch (const Error&) {
    return true;
  }
}

}  // namespace

void TrainingLogWriter::Append(const std::string& json_line) const {
  std::ofstream log(path_, std::ios::app);
  log << json_line << "\n";
  Check(static_cast<bool>(log), path_ + ": cannot append to the training log");
}

int TrainingLogWriter::DropAfterStep(int64_t step) const {
  std::ifstream in(path_);
  if (!in) return 0;
  std::vector<std::string> kept;
  int removed = 0, number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (Redone(line, step, path_ + ":" + std::to_string(number)))
      ++removed;
    else
      kept.push_back(line);
  }
  if (removed == 0) return 0;
  AtomicOutputFile out(path_);
  for (const auto& k : kept) out.stream() << k << "\n";
  out.Commit();
  return removed;
}

}  // namespace verbatim
