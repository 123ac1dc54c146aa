// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// UTF-8 <-> Unicode code points, strict: overlong forms, surrogates, values
// above U+10FFFF and truncated sequences are errors, so that text is never
// cut in the middle of a character.
#pragma once

#include <string>
#include <vector>

namespace verbatim {

// Code points of `text`; throws Error("invalid UTF-8 at byte N") naming the
// first bad byte (0-based).
std::u32string DecodeUtf8(const std::string& text);

// Appends the UTF-8 form of `code_point` (must be a valid scalar value).
void AppendUtf8(char32_t code_point, std::string* out);
std::string EncodeUtf8(const std::u32string& code_points);

// The characters of valid UTF-8 `text`, each as its own UTF-8 string.
std::vector<std::string> SplitUtf8Characters(const std::string& text);
// The same for any bytes: a byte that does not start a valid character
// becomes the four-character string "\xNN" (for reports about bad text).
std::vector<std::string> SplitUtf8CharactersLenient(const std::string& text);

}  // namespace verbatim
