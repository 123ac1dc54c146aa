// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/flat_json.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr int kMaxDepth = 64;  // nesting of skipped containers

class Parser {
 public:
  Parser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

  std::vector<std::pair<std::string, JsonScalar>> Object() {
    std::vector<std::pair<std::string, JsonScalar>> fields;
    SkipSpace();
    Expect('{', "a line must be a JSON object starting with '{'");
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
    } else {
      while (true) {
        SkipSpace();
        if (Peek() != '"') Fail("expected a key in double quotes");
        const size_t key_pos = pos_;
        std::string key = StringLiteral();
        for (const auto& f : fields)
          if (f.first == key) Fail("duplicate key \"" + key + "\"", key_pos);
        SkipSpace();
        Expect(':', "expected ':' after the key");
        SkipSpace();
        fields.emplace_back(std::move(key), Value(0));
        SkipSpace();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        Expect('}', "expected ',' or '}'");
        break;
      }
    }
    SkipSpace();
    if (pos_ != s_.size()) Fail("text after the end of the object");
    return fields;
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  [[noreturn]] void Fail(const std::string& problem, size_t at = std::string::npos) const {
    const size_t column = (at == std::string::npos ? pos_ : at) + 1;
    throw Error(where_ + ": column " + std::to_string(column) + ": " + problem);
  }

  void Expect(char c, const std::string& problem) {
    if (Peek() != c) Fail(problem);
    ++pos_;
  }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n'))
      ++pos_;
  }

  bool Word(const char* word) {
    const std::string w(word);
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }

  JsonScalar Value(int depth) {
    JsonScalar v;
    const char c = Peek();
    if (c == '"') {
      v.type = JsonScalar::Type::kString;
      v.text = StringLiteral();
    } else if (c == '{' || c == '[') {
      v.type = JsonScalar::Type::kNested;
      SkipContainer(depth + 1);
    } else if (Word("true")) {
      v.type = JsonScalar::Type::kBool;
      v.boolean = true;
    } else if (Word("false")) {
      v.type = JsonScalar::Type::kBool;
    } else if (Word("null")) {
      v.type = JsonScalar::Type::kNull;
    } else {
      v.type = JsonScalar::Type::kNumber;
      v.number = NumberLiteral();
    }
    return v;
  }

  void SkipContainer(int depth) {
    if (depth > kMaxDepth) Fail("nesting deeper than " + std::to_string(kMaxDepth));
    const bool object = Peek() == '{';
    const char close = object ? '}' : ']';
    ++pos_;
    SkipSpace();
    if (Peek() == close) {
      ++pos_;
      return;
    }
    while (true) {
      SkipSpace();
      if (object) {
        if (Peek() != '"') Fail("expected a key in double quotes");
        StringLiteral();
        SkipSpace();
        Expect(':', "expected ':' after the key");
        SkipSpace();
      }
      Value(depth);
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      Expect(close, std::string("expected ',' or '") + close + "'");
      return;
    }
  }

  double NumberLiteral() {
    const size_t start = pos_;
    if (Word("nan") || Word("NaN")) return std::numeric_limits<double>::quiet_NaN();
    if (Word("inf") || Word("Infinity")) return std::numeric_limits<double>::infinity();
    if (Word("-inf") || Word("-Infinity")) return -std::numeric_limits<double>::infinity();
    // JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (!digits()) {
      Fail("expected a value (number, string, true, false or null)", start);
    }
    if (Peek() == '.') {
      ++pos_;
      if (!digits()) Fail("expected digits after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!digits()) Fail("expected digits in the exponent");
    }
    double value = 0.0;
    const auto result = std::from_chars(s_.data() + start, s_.data() + pos_, value);
    if (result.ec == std::errc::result_out_of_range)
      value = s_[start] == '-' ? -HUGE_VAL : HUGE_VAL;  // underflow gives ~0 here too
    return value;
  }

  unsigned Hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = Peek();
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) Fail("expected 4 hex digits after \\u");
      code = code * 16 + static_cast<unsigned>(d);
      ++pos_;
    }
    return code;
  }

  static void AppendUtf8(unsigned code, std::string* out) {
    if (code < 0x80) {
      *out += static_cast<char>(code);
    } else if (code < 0x800) {
      *out += static_cast<char>(0xC0 | (code >> 6));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      *out += static_cast<char>(0xE0 | (code >> 12));
      *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (code >> 18));
      *out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string StringLiteral() {
    const size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) Fail("unterminated string", start);
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) Fail("control character in a string", pos_ - 1);
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = Peek();
      ++pos_;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned code = Hex4();
          if (code >= 0xD800 && code < 0xDC00 && Word("\\u")) {
            const unsigned low = Hex4();
            if (low < 0xDC00 || low >= 0xE000) Fail("invalid UTF-16 surrogate pair");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(code, &out);
          break;
        }
        default:
          Fail("invalid escape in a string", pos_ - 2);
      }
    }
  }

  const std::string& s_;
  const std::string& where_;
  size_t pos_ = 0;
};

}  // namespace

FlatJsonObject FlatJsonObject::Parse(const std::string& text, const std::string& where) {
  FlatJsonObject object;
  object.fields_ = Parser(text, where).Object();
  object.where_ = where;
  return object;
}

const JsonScalar* FlatJsonObject::Find(const std::string& key) const {
  for (const auto& f : fields_)
    if (f.first == key) return &f.second;
  return nullptr;
}

std::optional<double> FlatJsonObject::Number(const std::string& key) const {
  const JsonScalar* v = Find(key);
  if (v == nullptr || v->type != JsonScalar::Type::kNumber) return std::nullopt;
  return v->number;
}

std::optional<std::string> FlatJsonObject::String(const std::string& key) const {
  const JsonScalar* v = Find(key);
  if (v == nullptr || v->type != JsonScalar::Type::kString) return std::nullopt;
  return v->text;
}

std::vector<FlatJsonObject> ReadJsonLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Check(in.is_open(), path + ": cannot open");
  std::vector<FlatJsonObject> objects;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    objects.push_back(FlatJsonObject::Parse(line, path + ":" + std::to_string(number)));
  }
  Check(!in.bad(), path + ": read error");
  return objects;
}

}  // namespace verbatim
