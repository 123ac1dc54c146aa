// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// JSON Lines of flat objects: one JSON object per line whose values are
// numbers, strings, booleans or null (what the trainer's train.log.jsonl
// holds). Nested arrays and objects are checked for syntax and kept as
// "nested" without their content. The bare tokens nan, inf and -inf (what
// printf writes for non-finite losses) are read as numbers, so a log with a
// diverged step still reads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace verbatim {

struct JsonScalar {
  enum class Type { kNumber, kString, kBool, kNull, kNested };
  Type type = Type::kNull;
  double number = 0.0;   // kNumber
  std::string text;      // kString (UTF-8, escapes resolved)
  bool boolean = false;  // kBool
};

class FlatJsonObject {
 public:
  // Parses one object; throws Error("<where>: column C: <problem>") (column
  // 1-based, in bytes). Duplicate keys are errors.
  static FlatJsonObject Parse(const std::string& text, const std::string& where);

  bool Has(const std::string& key) const { return Find(key) != nullptr; }
  const JsonScalar* Find(const std::string& key) const;  // nullptr when absent
  // The value of `key` when it is a number (absent or another type: nullopt).
  std::optional<double> Number(const std::string& key) const;
  // The value of `key` when it is a string.
  std::optional<std::string> String(const std::string& key) const;
  // Keys and values in the order of the text.
  const std::vector<std::pair<std::string, JsonScalar>>& fields() const { return fields_; }
  // Where the object came from (the `where` given to Parse, e.g. "log.jsonl:12").
  const std::string& where() const { return where_; }

 private:
  std::vector<std::pair<std::string, JsonScalar>> fields_;
  std::string where_;
};

// Reads a JSON Lines file of flat objects; blank lines are skipped. Errors
// name the place: "<path>:<line>: column C: <problem>".
std::vector<FlatJsonObject> ReadJsonLines(const std::string& path);

}  // namespace verbatim
