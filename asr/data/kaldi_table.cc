// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/kaldi_table.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unordered_set>

#include "base/error.h"

namespace verbatim {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool ReadKaldiTableLines(const std::string& path, std::vector<ScpEntry>* lines) {
  lines->clear();
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string trimmed = Trim(line);
    if (trimmed.empty()) continue;
    const size_t split = std::min(trimmed.find_first_of(" \t"), trimmed.size());
    lines->push_back(ScpEntry{trimmed.substr(0, split), Trim(trimmed.substr(split)), number});
  }
  return true;
}

std::vector<ScpEntry> ReadKaldiTable(const std::string& path, bool allow_empty_value) {
  std::vector<ScpEntry> entries;
  Check(ReadKaldiTableLines(path, &entries), path + ": cannot open");
  std::unordered_set<std::string> seen;
  for (const ScpEntry& e : entries) {
    const std::string where = path + ": line " + std::to_string(e.line);
    Check(allow_empty_value || !e.value.empty(),
          where + ": expected 'key value', got '" + e.key + "'");
    Check(seen.insert(e.key).second, where + ": duplicated key '" + e.key + "'");
  }
  return entries;
}

bool ParseSeconds(const std::string& field, double* seconds) {
  char* end = nullptr;
  *seconds = std::strtod(field.c_str(), &end);
  return !field.empty() && *end == '\0' && std::isfinite(*seconds);
}

}  // namespace verbatim
