// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/text_normalizer.h"

#include <locale.h>
#include <wctype.h>

#include "asr/config/yaml_file.h"
#include "asr/util/utf8.h"
#include "base/error.h"

namespace verbatim {
namespace {

enum class CharClass { kSpace, kLetter, kDigit, kApostrophe, kMark, kPunctuation };

constexpr char32_t kTypographicApostrophe = 0x2019;  // ’

// glibc's built-in C.UTF-8 locale (glibc >= 2.35), used without touching the
// process's global locale.
locale_t Utf8Locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t());
  Check(locale != locale_t(), "text normalization: the C.UTF-8 locale is not available");
  return locale;
}

// Combining marks that glibc classifies as punctuation: generic combining
// blocks, kana voicing marks, joiners, and the Brahmic signs (viramas, nuktas)
// other than the dandas. They belong to the letter before them.
bool IsCombiningMark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F) || c == 0x3099 || c == 0x309A || c == 0x200C || c == 0x200D ||
         (c >= 0x0900 && c <= 0x0DFF && c != 0x0964 && c != 0x0965);
}

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return CharClass::kLetter;
    if (c >= '0' && c <= '9') return CharClass::kDigit;
    if (c == '\'') return CharClass::kApostrophe;
    if (c <= ' ' || c == 0x7F) return CharClass::kSpace;  // controls count as spaces
    return CharClass::kPunctuation;
  }
  if (c == kTypographicApostrophe) return CharClass::kApostrophe;
  const locale_t locale = Utf8Locale();
  if (iswspace_l(c, locale) || c == 0xA0 || c == 0x200B || c == 0xFEFF || c < 0xA0)
    return CharClass::kSpace;  // no-break, zero-width spaces, byte order mark, C1 controls
  if (iswalpha_l(c, locale)) return CharClass::kLetter;
  if (IsCombiningMark(c)) return CharClass::kMark;
  return CharClass::kPunctuation;
}

char32_t MapCase(char32_t c, LetterCase letter_case) {
  if (letter_case == LetterCase::kKeep) return c;
  const bool upper = letter_case == LetterCase::kUpper;
  if (c < 0x80) {
    if (upper && c >= 'a' && c <= 'z') return c - 'a' + 'A';
    if (!upper && c >= 'A' && c <= 'Z') return c - 'A' + 'a';
    return c;
  }
  const wint_t mapped = upper ? towupper_l(c, Utf8Locale()) : towlower_l(c, Utf8Locale());
  return static_cast<char32_t>(mapped);
}

// Replaces "[...]" and "<...>" spans by a space.
std::u32string DropTags(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c == '[' || c == '<') {
      const size_t close = text.find(c == '[' ? U']' : U'>', i + 1);
      if (close != std::u32string::npos) {
        out.push_back(' ');
        i = close;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

std::u32string CollapseSpaces(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

TextNormalizerOptions NormalizerPreset(const std::string& name) {
  TextNormalizerOptions opts;
  if (name == "none") return opts;
  opts.drop_tags = true;
  opts.remove_punctuation = true;
  opts.keep_apostrophes = true;
  if (name == "librispeech") {
    opts.letter_case = LetterCase::kUpper;
    opts.keep_digits = false;
    opts.keep_non_ascii_letters = false;
    return opts;
  }
  if (name == "lowercase") {
    opts.letter_case = LetterCase::kLower;
    return opts;
  }
  std::string known;
  for (const std::string& n : NormalizerPresetNames()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown text normalization '" + name + "' (known: " + known + ")");
}

std::vector<std::string> NormalizerPresetNames() { return {"none", "librispeech", "lowercase"}; }

std::string LetterCaseName(LetterCase letter_case) {
  switch (letter_case) {
    case LetterCase::kUpper:
      return "upper";
    case LetterCase::kLower:
      return "lower";
    case LetterCase::kKeep:
      break;
  }
  return "keep";
}

LetterCase ParseLetterCase(const std::string& name) {
  for (LetterCase c : {LetterCase::kKeep, LetterCase::kUpper, LetterCase::kLower})
    if (LetterCaseName(c) == name) return c;
  throw Error("unknown letter case '" + name + "' (known: keep, upper, lower)");
}

TextNormalizer::TextNormalizer(const TextNormalizerOptions& opts) : opts_(opts) {}

std::string TextNormalizer::Normalize(const std::string& text) const {
  std::u32string in = DecodeUtf8(text);
  if (opts_.drop_tags) in = DropTags(in);
  const auto is_kept_letter = [&](char32_t c) {
    return Classify(c) == CharClass::kLetter && (c < 0x80 || opts_.keep_non_ascii_letters);
  };
  std::u32string out;
  out.reserve(in.size());
  bool after_letter = false;  // the last character written is a letter or one of its marks
  for (size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in[i];
    const CharClass cls = Classify(c);
    bool letter = false;
    switch (cls) {
      case CharClass::kSpace:
        out.push_back(opts_.collapse_whitespace ? U' ' : c);
        break;
      case CharClass::kLetter:
        if (!is_kept_letter(c)) break;
        out.push_back(MapCase(c, opts_.letter_case));
        letter = true;
        break;
      case CharClass::kDigit:
        out.push_back(opts_.keep_digits ? c : U' ');
        break;
      case CharClass::kMark:
        // A mark goes with its letter: kept when the letter was, deleted otherwise. Marks
        // are non-ASCII: without non-ASCII letters "e" + U+0301 becomes a plain "e".
        letter = after_letter && opts_.keep_non_ascii_letters;
        if (letter) out.push_back(c);
        break;
      case CharClass::kApostrophe:
        if (!opts_.remove_punctuation) {
          out.push_back(c);
        } else if (opts_.keep_apostrophes && after_letter && i + 1 < in.size() &&
                   is_kept_letter(in[i + 1])) {
          out.push_back('\'');
        }
        break;
      case CharClass::kPunctuation:
        out.push_back(opts_.remove_punctuation ? U' ' : c);
        break;
    }
    after_letter = letter;
  }
  return EncodeUtf8(opts_.collapse_whitespace ? CollapseSpaces(out) : out);
}

void TextNormalizerOptions::Register(OptionRegistry* r) {
  RegisterNamed(r, "case", &letter_case, ParseLetterCase, LetterCaseName,
                {"keep", "upper", "lower"}, "case of every letter");
  r->Register("drop_tags", &drop_tags, "remove [tags] and <tags> with their content");
  r->Register("remove_punctuation", &remove_punctuation, "punctuation and symbols become spaces");
  r->Register("keep_apostrophes", &keep_apostrophes,
              "with remove_punctuation: keep apostrophes between letters");
  r->Register("keep_digits", &keep_digits, "keep ASCII digits");
  r->Register("keep_non_ascii_letters", &keep_non_ascii_letters,
              "keep letters outside A-Z and combining accents");
  r->Register("collapse_whitespace", &collapse_whitespace,
              "runs of whitespace become one space, none at either end");
}

void WriteTextNormalizerOptions(const std::string& path, const TextNormalizerOptions& opts) {
  YamlFileWriter file;
  file.Write("normalizer", opts);
  file.Save(path, "Verbatim text normalization");
}

TextNormalizerOptions ReadTextNormalizerOptions(const std::string& path) {
  YamlFileReader file(path);
  TextNormalizerOptions opts;
  Check(file.Has("normalizer"), path + ": missing key 'normalizer'");
  file.Read("normalizer", &opts);
  file.CheckAllKeysUsed();
  return opts;
}

bool operator==(const TextNormalizerOptions& a, const TextNormalizerOptions& b) {
  return a.letter_case == b.letter_case && a.drop_tags == b.drop_tags &&
         a.remove_punctuation == b.remove_punctuation && a.keep_apostrophes == b.keep_apostrophes &&
         a.keep_digits == b.keep_digits && a.keep_non_ascii_letters == b.keep_non_ascii_letters &&
         a.collapse_whitespace == b.collapse_whitespace;
}

}  // namespace verbatim
