// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Transcripts for scoring: Kaldi text and sclite trn, format detection,
// empty transcripts, malformed lines and duplicated ids.
#include <catch2/catch.hpp>
#include <fstream>

#include "asr/eval/transcript_file.h"
#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

TEST_CASE("transcripts: Kaldi text and trn", "[score]") {
  const auto text = ParseTranscripts("u1  hello   world\n\nu2\nu3\tone\ttwo \r\n",
                                     TranscriptFormat::kKaldiText, "text");
  REQUIRE(text.size() == 3);
  CHECK(text[0].id == "u1");
  CHECK(text[0].text == "hello world");
  CHECK(text[0].line == 1);
  CHECK(text[1].id == "u2");
  CHECK(text[1].text.empty());
  CHECK(text[2].text == "one two");
  CHECK(text[2].line == 4);

  const auto trn = ParseTranscripts("hello (big) world (spk-u1)\n(spk-u2)\n  x  ( spk-u3 ) \n",
                                    TranscriptFormat::kTrn, "a.trn");
  REQUIRE(trn.size() == 3);
  CHECK(trn[0].id == "spk-u1");
  CHECK(trn[0].text == "hello (big) world");
  CHECK(trn[1].id == "spk-u2");
  CHECK(trn[1].text.empty());
  CHECK(trn[2].id == "spk-u3");
  CHECK(trn[2].text == "x");
}

TEST_CASE("transcripts: format detection and errors", "[score]") {
  CHECK(DetectTranscriptFormat("dir/hyp.trn") == TranscriptFormat::kTrn);
  CHECK(DetectTranscriptFormat("data/test/text") == TranscriptFormat::kKaldiText);
  CHECK(DetectTranscriptFormat("trn") == TranscriptFormat::kKaldiText);
  CHECK(ParseTranscriptFormat("trn") == TranscriptFormat::kTrn);
  CHECK(TranscriptFormatName(ParseTranscriptFormat("text")) == "text");
  CHECK_THROWS_WITH(ParseTranscriptFormat("ctm"), Catch::Contains("auto, text or trn"));

  CHECK_THROWS_WITH(ParseTranscripts("a b\nc d\na e\n", TranscriptFormat::kKaldiText, "text"),
                    "text: line 3: duplicated utterance id 'a' (first on line 1)");
  CHECK_THROWS_WITH(ParseTranscripts("ok (u1)\nno id here\n", TranscriptFormat::kTrn, "h.trn"),
                    Catch::StartsWith("h.trn: line 2: expected 'words (utterance-id)'"));
  CHECK_THROWS_WITH(ParseTranscripts("words (two ids)\n", TranscriptFormat::kTrn, "h.trn"),
                    Catch::StartsWith("h.trn: line 1: bad utterance id"));

  test::TempDir tmp;
  std::ofstream(tmp.File("hyp.trn")) << "a b (u1)\n";
  std::ofstream(tmp.File("text")) << "u1 a b\n";
  const auto a = ReadTranscripts(tmp.File("hyp.trn"));
  const auto b = ReadTranscripts(tmp.File("text"));
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].id == b[0].id);
  CHECK(a[0].text == b[0].text);
  // An explicit format overrides the name.
  CHECK(ReadTranscripts(tmp.File("hyp.trn"), TranscriptFormat::kKaldiText)[0].id == "a");
  CHECK_THROWS_WITH(ReadTranscripts(tmp.File("none")), Catch::EndsWith("none: cannot open"));
}

}  // namespace
}  // namespace verbatim
