// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/utf8.h"

#include <cstdio>

#include "base/error.h"

namespace verbatim {
namespace {

// Length of the sequence that starts with `lead`, or 0 for a byte that cannot start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;  // continuation byte, overlong 2-byte lead (C0, C1) or beyond U+10FFFF
}

enum class Problem { kNone, kInvalid, kOverlong, kNotACharacter };

// Decodes the character at text[pos] into *code_point and *length (bytes).
Problem TryDecodeOne(const std::string& text, size_t pos, char32_t* code_point, int* length) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  *length = SequenceLength(byte(pos));
  if (*length == 0 || pos + *length > text.size()) return Problem::kInvalid;
  if (*length == 1) {
    *code_point = byte(pos);
    return Problem::kNone;
  }
  char32_t value = byte(pos) & (0x7F >> *length);
  for (int i = 1; i < *length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return Problem::kInvalid;
    value = (value << 6) | (byte(pos + i) & 0x3F);
  }
  static const char32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[*length]) return Problem::kOverlong;
  if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return Problem::kNotACharacter;
  *code_point = value;
  return Problem::kNone;
}

// The same, throwing Error("invalid UTF-8 at byte N ...") for a bad sequence.
int DecodeOne(const std::string& text, size_t pos, char32_t* code_point) {
  int length = 0;
  const Problem problem = TryDecodeOne(text, pos, code_point, &length);
  if (problem == Problem::kNone) return length;
  const std::string where = "invalid UTF-8 at byte " + std::to_string(pos);
  if (problem == Problem::kOverlong) throw Error(where + " (overlong form)");
  if (problem == Problem::kNotACharacter) throw Error(where + " (not a character)");
  throw Error(where);
}

}  // namespace

std::u32string DecodeUtf8(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t c;
    pos += DecodeOne(text, pos, &c);
    out.push_back(c);
  }
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  Check(c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF), "not a Unicode character");
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string EncodeUtf8(const std::u32string& code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t c : code_points) AppendUtf8(c, &out);
  return out;
}

std::vector<std::string> SplitUtf8Characters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    char32_t c;
    const int length = DecodeOne(text, pos, &c);
    out.push_back(text.substr(pos, length));
    pos += length;
  }
  return out;
}

std::vector<std::string> SplitUtf8CharactersLenient(const std::string& text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    char32_t c;
    int length = 0;
    if (TryDecodeOne(text, pos, &c, &length) == Problem::kNone) {
      out.push_back(text.substr(pos, length));
      pos += length;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", static_cast<unsigned char>(text[pos]));
      out.push_back(hex);
      ++pos;
    }
  }
  return out;
}

}  // namespace verbatim
