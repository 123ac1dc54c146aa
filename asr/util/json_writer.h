// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A small streaming JSON writer for reports (scores, statistics): objects and
// arrays are opened and closed explicitly, commas and indentation are taken
// care of. Strings must be UTF-8 (written as is, with '"', '\\' and control
// characters escaped). Non-finite numbers are written as null.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace verbatim {

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(const std::string& text);

class JsonWriter {
 public:
  // `indent`: spaces per nesting level (0: everything on one line; < 0: one
  // line without spaces, as a JSON Lines record).
  explicit JsonWriter(std::ostream& out, int indent = 2);

  // `single_line`: the container and everything in it on one line (for short
  // arrays such as [1, 2, 3] inside an indented document).
  JsonWriter& BeginObject(bool single_line = false);
  JsonWriter& EndObject();
  JsonWriter& BeginArray(bool single_line = false);
  JsonWriter& EndArray();

  // The key of the next value (inside an object only).
  JsonWriter& Key(const std::string& key);

  JsonWriter& String(const std::string& value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);  // 10 significant digits
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // Ends the document with a newline; throws Error if a container is open.
  void Finish();

 private:
  struct Frame {
    bool object;
    bool single_line;
    int count;
  };
  void BeforeValue();
  const char* Comma(const Frame& frame) const;  // between two values of `frame`
  void NewLine(size_t depth);
  JsonWriter& Close(bool object);

  std::ostream& out_;
  int indent_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

}  // namespace verbatim
