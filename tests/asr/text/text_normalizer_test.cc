// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// TextNormalizer: LibriSpeech-style output, tags, punctuation, apostrophes,
// UTF-8 safety, and its YAML form. Expected strings follow the documented
// rules, written out by hand.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "asr/text/text_normalizer.h"
#include "asr/util/utf8.h"
#include "base/error.h"
#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

std::string LibriSpeech(const std::string& text) {
  return TextNormalizer(NormalizerPreset("librispeech")).Normalize(text);
}

TEST_CASE("librispeech normalization: upper case, A-Z, apostrophes, single spaces",
          "[tokenizer][normalizer]") {
  CHECK(LibriSpeech("Hello, World!  It's   5 o'clock.") == "HELLO WORLD IT'S O'CLOCK");
  CHECK(LibriSpeech("\t\"Well-known\"; (really?)\n") == "WELL KNOWN REALLY");
  CHECK(LibriSpeech("chapter 12: the end") == "CHAPTER THE END");
  CHECK(LibriSpeech("") == "");
  CHECK(LibriSpeech(" ... !!! ") == "");
  // Already normalized text is a fixed point.
  const std::string clean = "HE DIDN'T SAY A WORD TO MISTER SMITH";
  CHECK(LibriSpeech(clean) == clean);
}

TEST_CASE("bracketed tags are dropped with their content", "[tokenizer][normalizer]") {
  CHECK(LibriSpeech("[laughter] yes <unk> no <cutoff-wor> end [noise]") == "YES NO END");
  CHECK(LibriSpeech("a[noise]b") == "A B");
  CHECK(LibriSpeech("[background noise] ok") == "OK");
  // An opening bracket without its closing one is ordinary punctuation.
  CHECK(LibriSpeech("x [ y") == "X Y");
  CHECK(LibriSpeech("x < y") == "X Y");
  TextNormalizerOptions keep_tags = NormalizerPreset("librispeech");
  keep_tags.drop_tags = false;
  CHECK(TextNormalizer(keep_tags).Normalize("[laughter] yes") == "LAUGHTER YES");
}

TEST_CASE("apostrophes stay only inside words", "[tokenizer][normalizer]") {
  CHECK(LibriSpeech("'Tis James' rock 'n' roll, don't!") == "TIS JAMES ROCK N ROLL DON'T");
  // The typographic apostrophe (U+2019) is written as '.
  CHECK(LibriSpeech("don\u2019t") == "DON'T");
  CHECK(LibriSpeech("it's''") == "IT'S");
  TextNormalizerOptions opts = NormalizerPreset("librispeech");
  opts.keep_apostrophes = false;
  CHECK(TextNormalizer(opts).Normalize("Don't 'quote'") == "DONT QUOTE");
}

TEST_CASE("punctuation is kept unless removal is asked for", "[tokenizer][normalizer]") {
  const TextNormalizer none(NormalizerPreset("none"));
  CHECK(none.Normalize("  Hello,   World!\t[laughter] ") == "Hello, World! [laughter]");
  CHECK(none.Normalize("\u00ABQuoi\u00BB \u2014 \u20AC5") == "\u00ABQuoi\u00BB \u2014 \u20AC5");
  const TextNormalizer lower(NormalizerPreset("lowercase"));
  CHECK(lower.Normalize("\u00ABQuoi?\u00BB \u2014 Caf\u00C9 5\u20AC") == "quoi caf\u00E9 5");
}

TEST_CASE("whitespace collapses, or stays when asked", "[tokenizer][normalizer]") {
  const TextNormalizer collapse;
  // Tab, no-break space, ideographic space, zero-width space, byte order mark.
  CHECK(collapse.Normalize("\ufeff a\t\tb \u00A0 c\u3000d\u200Be  ") == "a b c d e");
  TextNormalizerOptions opts;
  opts.collapse_whitespace = false;
  CHECK(TextNormalizer(opts).Normalize(" a\t b ") == " a\t b ");
}

TEST_CASE("non-ASCII letters are kept or dropped whole, never split", "[tokenizer][normalizer]") {
  TextNormalizerOptions opts = NormalizerPreset("librispeech");
  opts.keep_non_ascii_letters = true;
  const TextNormalizer keep(opts);
  CHECK(keep.Normalize("Caf\u00E9 na\u00EFve \u00D1and\u00FA \u0436\u0443\u043A \u4E2D\u6587") ==
        "CAF\u00C9 NA\u00CFVE \u00D1AND\u00DA \u0416\u0423\u041A \u4E2D\u6587");
  // A combining accent stays with its letter.
  CHECK(keep.Normalize("cafe\u0301!") == "CAFE\u0301");
  CHECK(LibriSpeech("Caf\u00E9 na\u00EFve \u00D1and\u00FA \u0436\u0443\u043A \u4E2D\u6587") ==
        "CAF NAVE AND");
  // Without non-ASCII letters, a decomposed accent leaves its ASCII base letter.
  CHECK(LibriSpeech("cafe\u0301") == "CAFE");
  TextNormalizerOptions lower;
  lower.letter_case = LetterCase::kLower;
  CHECK(TextNormalizer(lower).Normalize("\u00C9T\u00C9 \u0416") == "\u00E9t\u00E9 \u0436");
}

TEST_CASE("invalid UTF-8 is an error with the byte offset", "[tokenizer][normalizer]") {
  const TextNormalizer normalizer;
  CHECK_THROWS_WITH(normalizer.Normalize("ab\xC3"), Catch::Contains("invalid UTF-8 at byte 2"));
  CHECK_THROWS_WITH(normalizer.Normalize("\xC0\xAF"), Catch::Contains("byte 0"));  // overlong
  CHECK_THROWS_WITH(normalizer.Normalize("x\xED\xA0\x80"), Catch::Contains("byte 1"));
  CHECK_THROWS_AS(normalizer.Normalize("\x80"), Error);
}

TEST_CASE("random text with every option combination stays valid UTF-8",
          "[tokenizer][normalizer]") {
  const char32_t alphabet[] = {'a',  'Z',   ' ',   '\'',   ',',    '[',    ']',  '<',     '>', '7',
                               0xE9, 0x301, 0x416, 0x4E2D, 0x2019, 0x2014, 0xA0, 0x1F600, '\t'};
  Random random(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::u32string text;
    const int length = static_cast<int>(random.UniformInt(0, 30));
    for (int i = 0; i < length; ++i)
      text.push_back(alphabet[random.UniformInt(0, std::size(alphabet) - 1)]);
    TextNormalizerOptions opts;
    opts.letter_case = static_cast<LetterCase>(trial % 3);
    opts.drop_tags = trial & 4;
    opts.remove_punctuation = trial & 8;
    opts.keep_apostrophes = trial & 16;
    opts.keep_digits = trial & 32;
    opts.keep_non_ascii_letters = trial & 64;
    opts.collapse_whitespace = trial & 128;
    const std::string out = TextNormalizer(opts).Normalize(EncodeUtf8(text));
    INFO("trial " << trial << ": '" << EncodeUtf8(text) << "' -> '" << out << "'");
    const std::u32string decoded = DecodeUtf8(out);  // throws if a character was split
    CHECK(decoded.size() <= text.size());            // one character out per character in, at most
    if (opts.collapse_whitespace) {
      CHECK(out.find("  ") == std::string::npos);
      CHECK((out.empty() || (out.front() != ' ' && out.back() != ' ')));
    }
    if (!opts.keep_non_ascii_letters && opts.remove_punctuation) {
      for (char32_t c : decoded) CHECK((c < 0x80 || c == 0xA0 || c == 0x2019));
    }
  }
}

TEST_CASE("normalizer presets and names", "[tokenizer][normalizer]") {
  CHECK(NormalizerPreset("none") == TextNormalizerOptions());
  CHECK(NormalizerPreset("librispeech").letter_case == LetterCase::kUpper);
  for (const std::string& name : NormalizerPresetNames()) CHECK_NOTHROW(NormalizerPreset(name));
  CHECK_THROWS_WITH(NormalizerPreset("libri"),
                    Catch::Contains("libri") && Catch::Contains("librispeech"));
  CHECK(ParseLetterCase(LetterCaseName(LetterCase::kLower)) == LetterCase::kLower);
  CHECK_THROWS_WITH(ParseLetterCase("big"), Catch::Contains("keep, upper, lower"));
}

TEST_CASE("normalizer options round-trip through YAML, with strict reading",
          "[tokenizer][normalizer][yaml]") {
  test::TempDir tmp;
  TextNormalizerOptions opts = NormalizerPreset("librispeech");
  opts.keep_digits = true;
  WriteTextNormalizerOptions(tmp.File("norm.yaml"), opts);
  CHECK(ReadTextNormalizerOptions(tmp.File("norm.yaml")) == opts);

  // Keys left out keep their defaults.
  std::ofstream(tmp.File("partial.yaml")) << "normalizer:\n  case: lower\n";
  TextNormalizerOptions expected;
  expected.letter_case = LetterCase::kLower;
  CHECK(ReadTextNormalizerOptions(tmp.File("partial.yaml")) == expected);

  const struct {
    std::string text, message;
  } bad[] = {
      {"normalizer:\n  case: big\n", "normalizer.case: unknown letter case 'big'"},
      {"normalizer:\n  keep_digits: maybe\n", "normalizer.keep_digits: expected true or false"},
      {"normalizer:\n  keep_digit: true\n", "normalizer.keep_digit: unknown key"},
      {"normaliser:\n  case: upper\n", "missing key 'normalizer'"},
      {"normalizer: [1, 2]\n", "normalizer: expected a mapping"},
      {"normalizer:\n  case: [upper\n", ": line "},
  };
  for (const auto& b : bad) {
    std::ofstream(tmp.File("bad.yaml")) << b.text;
    CHECK_THROWS_WITH(ReadTextNormalizerOptions(tmp.File("bad.yaml")),
                      Catch::Contains(tmp.File("bad.yaml")) && Catch::Contains(b.message));
  }
  CHECK_THROWS_WITH(ReadTextNormalizerOptions(tmp.File("missing.yaml")),
                    Catch::Contains("missing.yaml: cannot open"));
}

}  // namespace
}  // namespace verbatim

namespace verbatim {
namespace {

std::map<std::string, std::string> SharedTranscripts() {
  std::map<std::string, std::string> texts;
  std::ifstream in(test::SharedDir() + "/speech/labeled/TRANSCRIPTS.tsv");
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) texts[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return texts;
}

TEST_CASE("real transcripts normalize to the LibriSpeech alphabet", "[tokenizer][normalizer]") {
  if (test::SkipWithoutShared()) return;
  const std::map<std::string, std::string> texts = SharedTranscripts();
  REQUIRE(texts.size() > 100);
  int librispeech = 0;
  for (const auto& entry : texts) {
    INFO(entry.first << ": " << entry.second);
    const std::string out = LibriSpeech(entry.second);
    for (char c : out) CHECK(((c >= 'A' && c <= 'Z') || c == '\'' || c == ' '));
    CHECK(out.find("  ") == std::string::npos);
    CHECK(LibriSpeech(out) == out);  // idempotent
    // LibriSpeech's own transcripts are already in this form.
    if (entry.first.rfind("ls_", 0) == 0) {
      CHECK(out == entry.second);
      ++librispeech;
    }
  }
  CHECK(librispeech >= 5);
  CHECK(LibriSpeech(texts.at("mfa_cutoff")) == "MONTREAL MONTREAL FORCED ALIGNER ALIGNER");
  CHECK(LibriSpeech(texts.at("mfa_er")) == "MONTREAL FORCED ALIGNER I HARDLY KNOW ER");
  CHECK(LibriSpeech(texts.at("mfa_internalsil")) == "");
}

}  // namespace
}  // namespace verbatim
