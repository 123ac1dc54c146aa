// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/transcribe/transcript_writer.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

FileTranscript Example() {
  FileTranscript t;
  t.path = "/data/my talk.wav";
  t.key = "my_talk";
  t.duration_s = 4000.0;
  TranscriptSegment quiet;  // nothing heard
  quiet.start_s = 1.0;
  quiet.end_s = 2.0;
  quiet.nbest.push_back(TranscriptHypothesis{"", -1.0, -2.0, -3.0});
  TranscriptSegment s;
  s.start_s = 3725.0;
  s.end_s = 3727.0;
  s.nbest.push_back(TranscriptHypothesis{"SAY \"HI\"", -0.5, -0.25, -0.75});
  s.nbest.push_back(TranscriptHypothesis{"SAY HI", -0.75, -0.5, -1.0});
  s.words = {{"SAY", 3725.2, 3725.5, 0.875}, {"\"HI\"", 3725.6, 3726.1, 0.5}};
  t.segments = {quiet, s};
  return t;
}

std::string Write(TranscriptionFormat format, bool with_keys = false) {
  std::ostringstream out;
  TranscriptWriter writer(out, format, with_keys);
  writer.Write(Example());
  writer.Finish();
  return out.str();
}

TEST_CASE("transcript writer formats", "[transcript_writer]") {
  CHECK(Write(TranscriptionFormat::kText) == "SAY \"HI\"\n");
  CHECK(Write(TranscriptionFormat::kText, true) == "my_talk SAY \"HI\"\n");
  CHECK(Write(TranscriptionFormat::kCtm) ==
        "my_talk 1 3725.200 0.300 SAY 0.875\nmy_talk 1 3725.600 0.500 \"HI\" 0.500\n");
  CHECK(Write(TranscriptionFormat::kSrt) == "1\n01:02:05,200 --> 01:02:06,100\nSAY \"HI\"\n\n");
  CHECK(Write(TranscriptionFormat::kVtt) ==
        "WEBVTT\n\n01:02:05.200 --> 01:02:06.100\nSAY \"HI\"\n");
  for (auto format :
       {TranscriptionFormat::kText, TranscriptionFormat::kJson, TranscriptionFormat::kSrt,
        TranscriptionFormat::kVtt, TranscriptionFormat::kCtm})
    CHECK(ParseTranscriptionFormat(TranscriptionFormatName(format)) == format);
  CHECK_THROWS_AS(ParseTranscriptionFormat("doc"), Error);
}

TEST_CASE("transcript writer JSON parses back", "[transcript_writer]") {
  if (!test::HaveProgram("python3")) return;
  test::TempDir tmp;
  {
    std::ofstream out(tmp.File("t.json"));
    TranscriptWriter writer(out, TranscriptionFormat::kJson);
    writer.Write(Example());
    writer.Write(FileTranscript());
    writer.Finish();
  }
  std::string out;
  CHECK(test::RunCommand(
            "python3 -c 'import json, sys\n"
            "d = json.load(open(sys.argv[1]))\n"
            "f, e = d[\"files\"]\n"
            "assert f[\"file\"] == \"/data/my talk.wav\" and f[\"text\"] == \"SAY \\\"HI\\\"\"\n"
            "s = f[\"segments\"]\n"
            "assert len(s) == 2 and s[0][\"text\"] == \"\" and s[1][\"start\"] == 3725\n"
            "assert s[1][\"nbest\"][1] == {\"text\": \"SAY HI\", \"score\": -0.75,"
            " \"attention_score\": -0.5, \"ctc_score\": -1.0}\n"
            "assert s[1][\"words\"][1] == {\"word\": \"\\\"HI\\\"\", \"start\": 3725.6,"
            " \"end\": 3726.1, \"confidence\": 0.5}\n"
            "assert e[\"segments\"] == []\n"
            "print(\"ok\")' " +
                tmp.File("t.json"),
            &out) == 0);
  INFO(out);
  CHECK(out == "ok\n");
}

TEST_CASE("transcript writer takes one file of subtitles", "[transcript_writer]") {
  std::ostringstream out;
  TranscriptWriter writer(out, TranscriptionFormat::kSrt);
  writer.Write(Example());
  CHECK_THROWS_AS(writer.Write(Example()), Error);
}

}  // namespace
}  // namespace verbatim
