// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/json_writer.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"

namespace verbatim {

std::string JsonQuote(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          quoted += escaped;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

JsonWriter::JsonWriter(std::ostream& out, int indent) : out_(out), indent_(indent) {}

void JsonWriter::NewLine(size_t depth) {
  if (indent_ <= 0) return;
  out_ << '\n' << std::string(depth * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Frame& frame = stack_.back();
  Check(!frame.object, "JsonWriter: a value inside an object needs a key");
  if (frame.count++ > 0) out_ << Comma(frame);
  if (!frame.single_line) NewLine(stack_.size());
}

const char* JsonWriter::Comma(const Frame& frame) const {
  if (indent_ < 0) return ",";
  return frame.single_line || indent_ == 0 ? ", " : ",";
}

JsonWriter& JsonWriter::Key(const std::string& key) {
  Check(!stack_.empty() && stack_.back().object && !after_key_,
        "JsonWriter: a key outside an object");
  Frame& frame = stack_.back();
  if (frame.count++ > 0) out_ << Comma(frame);
  if (!frame.single_line) NewLine(stack_.size());
  out_ << JsonQuote(key) << (indent_ < 0 ? ":" : ": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginObject(bool single_line) {
  BeforeValue();
  const bool inherited = !stack_.empty() && stack_.back().single_line;
  stack_.push_back({true, single_line || inherited, 0});
  out_ << '{';
  return *this;
}

JsonWriter& JsonWriter::BeginArray(bool single_line) {
  BeforeValue();
  const bool inherited = !stack_.empty() && stack_.back().single_line;
  stack_.push_back({false, single_line || inherited, 0});
  out_ << '[';
  return *this;
}

JsonWriter& JsonWriter::Close(bool object) {
  Check(!stack_.empty() && stack_.back().object == object && !after_key_,
        std::string("JsonWriter: unbalanced ") + (object ? "EndObject" : "EndArray"));
  const Frame frame = stack_.back();
  stack_.pop_back();
  if (!frame.single_line && frame.count > 0) NewLine(stack_.size());
  out_ << (object ? '}' : ']');
  return *this;
}

JsonWriter& JsonWriter::EndObject() { return Close(true); }
JsonWriter& JsonWriter::EndArray() { return Close(false); }

JsonWriter& JsonWriter::String(const std::string& value) {
  BeforeValue();
  out_ << JsonQuote(value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  out_ << value;
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  if (!std::isfinite(value)) return Null();
  BeforeValue();
  char text[32];
  std::snprintf(text, sizeof(text), "%.10g", value);
  out_ << text;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ << (value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ << "null";
  return *this;
}

void JsonWriter::Finish() {
  Check(stack_.empty() && !after_key_, "JsonWriter: document ends inside a container");
  out_ << '\n';
}

}  // namespace verbatim
