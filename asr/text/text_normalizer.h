// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Transcript normalization, applied identically to training texts, to the
// tokenizer's input and to references before scoring. UTF-8 in, UTF-8 out:
// text is handled as Unicode characters, never split inside one (invalid
// UTF-8 is an error). Letter classes and case mapping of non-ASCII
// characters come from glibc's C.UTF-8 locale.
//
// Order of the steps: bracketed tags are removed, each character is mapped
// (case, punctuation, digits, non-ASCII letters), then whitespace collapses.
#pragma once

#include <string>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

enum class LetterCase { kKeep, kUpper, kLower };

struct TextNormalizerOptions {
  LetterCase letter_case = LetterCase::kKeep;  // case of every letter (ASCII and non-ASCII)
  // Removes tags and their content: "[laughter]", "<unk>", "<cutoff-wor>" (a '[' or '<'
  // without its closing bracket is ordinary punctuation).
  bool drop_tags = false;
  // Punctuation and symbols (ASCII and Unicode: , . ! " - « — € ...) become spaces.
  bool remove_punctuation = false;
  // With remove_punctuation: an apostrophe between two letters stays ("DON'T"; the
  // typographic U+2019 is written as '); other apostrophes ("'TIS", "JAMES'") are deleted.
  bool keep_apostrophes = true;
  bool keep_digits = true;  // ASCII digits 0-9 (false: they become spaces, not words)
  // Letters outside A-Z/a-z ("É", "Ж", "中") and combining accents (false: deleted, so that
  // "e" + U+0301 gives "e").
  bool keep_non_ascii_letters = true;
  // Runs of whitespace (including tabs, no-break and ideographic spaces) become one space,
  // none at either end. SentencePiece does the same, so keep it on for tokenizer input.
  bool collapse_whitespace = true;

  void Register(OptionRegistry* registry);  // "case", "drop_tags", ...
};

// Presets, by name (as on the command line and in configs):
//   "none":        text kept as is, only whitespace collapsed (the default options)
//   "librispeech": upper case; letters A-Z, apostrophes inside words and single spaces only
//                  (tags, punctuation, digits and non-ASCII letters removed)
//   "lowercase":   lower case, tags and punctuation removed, apostrophes inside words, digits
//                  and non-ASCII letters kept
// Throws Error for an unknown name, listing the known ones.
TextNormalizerOptions NormalizerPreset(const std::string& name);
std::vector<std::string> NormalizerPresetNames();

// "keep" | "upper" | "lower" (Parse throws Error naming the accepted values).
std::string LetterCaseName(LetterCase letter_case);
LetterCase ParseLetterCase(const std::string& name);

class TextNormalizer {
 public:
  explicit TextNormalizer(const TextNormalizerOptions& opts = TextNormalizerOptions());

  // Throws Error("invalid UTF-8 at byte N") for malformed input.
  std::string Normalize(const std::string& text) const;

  const TextNormalizerOptions& options() const { return opts_; }

 private:
  TextNormalizerOptions opts_;
};

// A YAML file with a top-level "normalizer:" section (keys left out keep
// their defaults when read), as `verbatim tokenizer train --normalize FILE`
// takes it. Errors name the file and key.
void WriteTextNormalizerOptions(const std::string& path, const TextNormalizerOptions& opts);
TextNormalizerOptions ReadTextNormalizerOptions(const std::string& path);

bool operator==(const TextNormalizerOptions& a, const TextNormalizerOptions& b);
inline bool operator!=(const TextNormalizerOptions& a, const TextNormalizerOptions& b) {
  return !(a == b);
}

}  // namespace verbatim
