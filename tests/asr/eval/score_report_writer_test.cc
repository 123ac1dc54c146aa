// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Score reports: the alignment blocks are byte-identical to sclite's pra
// report; the text report carries the totals, table and error lists; the
// JSON parses (Python's json module) and carries the same numbers.
#include <catch2/catch.hpp>
#include <fstream>
#include <limits>
#include <sstream>

#include "asr/eval/score_report_writer.h"
#include "asr/util/json_writer.h"
#include "tests/asr/eval/sclite_reference.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

ScoringInput Input(const std::vector<test::ScliteInput>& utts) {
  ScoringInput input;
  for (const test::ScliteInput& u : utts) {
    std::string ref, hyp;
    for (const auto& w : u.ref) ref += w + " ";
    for (const auto& w : u.hyp) hyp += w + " ";
    input.refs.push_back({u.id, ref, 0});
    input.hyps.push_back({u.id, hyp, 0});
  }
  return input;
}

TEST_CASE("score report: alignment blocks are sclite's pra blocks", "[score][sclite]") {
  const UtteranceScore u = [] {
    const std::string hyp = "hello bigger world end extra";
    return WerScorer().ScoreUtterance("s-u1", "hello big world the end", &hyp);
  }();
  CHECK(FormatAlignmentBlock(u) ==
        "id: (s-u1)\n"
        "Scores: (#C #S #D #I) 3 1 1 1\n"
        "REF:  hello BIG    world THE end ***** \n"
        "HYP:  hello BIGGER world *** end EXTRA \n"
        "Eval:       S            D       I     \n");

  if (test::SkipWithoutSclite()) return;
  const std::vector<test::ScliteInput> utts = test::RandomUtterances(314, 300);
  const ScoreReport report = WerScorer().Score(Input(utts));
  const test::ScliteResult sclite = test::RunSclite(utts);
  REQUIRE(sclite.pra.size() == utts.size());
  for (const UtteranceScore& utt : report.utterances) {
    REQUIRE(FormatAlignmentBlock(utt) == sclite.pra.at(utt.id));
  }
}

std::string RunPython(const std::string& json, const std::string& script) {
  test::TempDir tmp;
  std::ofstream(tmp.File("in.json")) << json;
  std::ofstream(tmp.File("check.py")) << "import json, sys\nd = json.load(open(sys.argv[1]))\n"
                                      << script;
  std::string out;
  const int status = test::RunCommand(
      "/usr/bin/python3 " + tmp.File("check.py") + " " + tmp.File("in.json"), &out);
  INFO(out);
  REQUIRE(status == 0);
  return out;
}

TEST_CASE("score report: text and JSON carry the counts", "[score]") {
  ScoringInput input;
  input.refs = {{"a1", "the cat sat", 1}, {"b1", "on the mat", 2}, {"b2", "quote \" here", 3}};
  input.hyps = {{"a1", "a cat sat uh", 1}, {"b1", "on mat", 2}};
  input.utt2spk = {{"a1", "ann"}, {"b1", "bob"}, {"b2", "bob"}};
  const ScoreReport r = WerScorer().Score(input);
  std::ostringstream text;
  WriteScoreText(r, text);
  INFO(text.str());
  CHECK_THAT(text.str(), Catch::Contains("%WER 66.67 [ 6 / 9, 1 ins, 4 del, 1 sub ]") &&
                             Catch::Contains("%SER 100.00 [ 3 / 3 ]") && Catch::Contains("| ann") &&
                             Catch::Contains("| bob") && Catch::Contains("the ==> a") &&
                             Catch::Contains("WARNING: 1 of 3 utterances have no hypothesis") &&
                             Catch::Contains("REF:  THE cat sat ** \nHYP:  A   cat sat UH \n") &&
                             Catch::Contains("(no hypothesis)"));
  // Sum row in percent: 4 correct of 9 words.
  CHECK_THAT(text.str(), Catch::Contains("|     3       9 |   44.4   11.1   44.4   11.1   66.7"));

  std::ostringstream brief;
  ScoreReportOptions opts;
  opts.alignments = false;
  WriteScoreText(r, brief, opts);
  CHECK_THAT(brief.str(), !Catch::Contains("REF:"));

  std::ostringstream json;
  WriteScoreJson(r, json);
  const std::string out = RunPython(json.str(), R"(
print(d['words'], d['substitutions'], d['deletions'], d['insertions'], round(d['wer'], 4))
print(d['characters'], d['char_counts']['errors'], round(d['cer'], 4))
print(len(d['utterances']), d['utterances'][2]['hyp_missing'], d['utterances'][2]['ref'])
print(d['utterances'][0]['alignment'])
print([(s['speaker'], s['words'], s['errors']) for s in d['speakers']])
print(d['top_errors']['substitutions'][0], d['warnings'][0][:8])
)");
  CHECK(out ==
        "9 1 4 1 0.6667\n"
        "27 18 0.6667\n"
        "3 True quote \" here\n"
        "[['S', 'the', 'a'], ['C', 'cat', 'cat'], ['C', 'sat', 'sat'], ['I', None, 'uh']]\n"
        "[('ann', 3, 2), ('bob', 6, 4)]\n"
        "{'ref': 'the', 'hyp': 'a', 'count': 1} 1 of 3 u\n");
}

TEST_CASE("json writer: nesting, escaping and non-finite numbers", "[score]") {
  std::ostringstream s;
  JsonWriter json(s);
  json.BeginObject();
  json.Key("text").String("a \"b\" \\ c\n\t\x01 é");
  json.Key("list").BeginArray(true).Int(1).Double(0.5).Null().Bool(false).EndArray();
  json.Key("inf").Double(std::numeric_limits<double>::infinity());
  json.Key("empty").BeginObject().EndObject();
  json.Key("nested").BeginArray().BeginObject().Key("k").Int(-3).EndObject().EndArray();
  json.EndObject();
  json.Finish();
  const std::string out = RunPython(s.str(), "print(repr(d))\n");
  CHECK(out ==
        "{'text': 'a \"b\" \\\\ c\\n\\t\\x01 é', 'list': [1, 0.5, None, False], 'inf': None, "
        "'empty': {}, 'nested': [{'k': -3}]}\n");
  CHECK_THAT(s.str(), Catch::Contains("\"list\": [1, 0.5, null, false]"));

  std::ostringstream bad;
  JsonWriter unbalanced(bad);
  unbalanced.BeginArray();
  CHECK_THROWS(unbalanced.EndObject());
  CHECK_THROWS(unbalanced.Key("x"));
  CHECK_THROWS(unbalanced.Finish());
}

}  // namespace
}  // namespace verbatim
