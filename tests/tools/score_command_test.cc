// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim score` end to end: the text report, --json (parsed by Python's
// json module), --out files, normalization flags, errors, and totals equal to
// `sctk sclite` on random utterances given in both input formats.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/asr/eval/sclite_reference.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Files {
  test::TempDir tmp;
  Files() {
    std::ofstream(tmp.File("ref.txt")) << "a1 the cat sat on the mat\n"
                                          "a2 hello world\n"
                                          "b1 good morning everyone\n";
    std::ofstream(tmp.File("hyp.trn")) << "a cat sat on the mat uh (a1)\n"
                                          "good morning (b1)\n";
    std::ofstream(tmp.File("utt2spk")) << "a1 alice\na2 alice\nb1 bob\n";
  }
  // Runs `verbatim score ARGS`; stdout to *out, stderr to *err.
  int Run(const std::string& args, std::string* out, std::string* err) const {
    const int status =
        test::RunCommand(kVerbatim + " score " + args + " 2>" + tmp.File("err"), out);
    *err = Slurp(tmp.File("err"));
    return status;
  }
  std::string Args() const {
    return "--ref " + tmp.File("ref.txt") + " --hyp " + tmp.File("hyp.trn");
  }
};

TEST_CASE("verbatim score: text report", "[tools][score]") {
  Files f;
  std::string out, err;
  REQUIRE(f.Run(f.Args() + " --utt2spk " + f.tmp.File("utt2spk"), &out, &err) == 0);
  INFO(out);
  // 11 reference words: a1 has 1 substitution and 1 insertion, a2 (no
  // hypothesis) 2 deletions, b1 1 deletion.
  CHECK_THAT(out, Catch::Contains("Scoring mode: sclite") &&
                      Catch::Contains("%WER 45.45 [ 5 / 11, 1 ins, 3 del, 1 sub ]") &&
                      Catch::Contains("%SER 100.00 [ 3 / 3 ]") && Catch::Contains("| alice") &&
                      Catch::Contains("| bob") && Catch::Contains("the ==> a") &&
                      Catch::Contains("id: (a1)\nScores: (#C #S #D #I) 5 1 0 1\n"
                                      "REF:  THE cat sat on the mat ** \n"
                                      "HYP:  A   cat sat on the mat UH \n"
                                      "Eval: S                      I  \n") &&
                      Catch::Contains("(no hypothesis)"));
  CHECK_THAT(err, Catch::Contains("verbatim score: warning: 1 of 3 utterances have no "
                                  "hypothesis") &&
                      Catch::Contains("a2"));

  REQUIRE(f.Run(f.Args() + " --summary-only --mode kaldi", &out, &err) == 0);
  CHECK_THAT(out, Catch::Contains("Scoring mode: kaldi") &&
                      Catch::Contains("%WER 45.45 [ 5 / 11, 1 ins, 3 del, 1 sub ]") &&
                      !Catch::Contains("REF:") && !Catch::Contains("| alice"));
}

TEST_CASE("verbatim score: --json and --out", "[tools][score]") {
  Files f;
  std::string out, err;
  const std::string dir = f.tmp.File("scores/run1");
  REQUIRE(f.Run(f.Args() + " --json --out " + dir, &out, &err) == 0);
  std::ofstream(f.tmp.File("stdout.json")) << out;
  std::ofstream(f.tmp.File("check.py"))
      << "import json, sys\n"
         "a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))\n"
         "assert a == b\n"
         "print(a['words'], a['substitutions'], a['deletions'], a['insertions'], "
         "round(a['wer'], 4), a['characters'], round(a['cer'], 4))\n"
         "u = a['utterances'][0]\n"
         "print(u['id'], u['substitutions'], u['insertions'], u['alignment'][-1])\n"
         "print(a['utterances'][1]['hyp_missing'], a['missing_hypotheses'])\n";
  std::string py;
  REQUIRE(test::RunCommand("/usr/bin/python3 " + f.tmp.File("check.py") + " " +
                               f.tmp.File("stdout.json") + " " + dir + "/score.json",
                           &py) == 0);
  // Characters: 17 + 10 + 19 = 46; a1 "the" -> "a" 3 + "uh" 2, a2 10, b1 8.
  CHECK(py ==
        "11 1 3 1 0.4545 46 0.5\n"
        "a1 1 1 ['I', None, 'uh']\n"
        "True 1\n");
  CHECK_THAT(Slurp(dir + "/wer"), Catch::StartsWith("%WER 45.45 [ 5 / 11, 1 ins, 3 del, 1 sub ]\n"
                                                    "%CER 50.00 [ 23 / 46,"));
  std::string text;
  REQUIRE(f.Run(f.Args(), &text, &err) == 0);
  CHECK(Slurp(dir + "/report.txt") == text);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += !entry.is_directory();
  CHECK(files == 3);  // no temporary files left behind
}

TEST_CASE("verbatim score: normalization flags and errors", "[tools][score]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("ref")) << "u1 Hello, <unk> World! [noise]\n";
  std::ofstream(tmp.File("hyp")) << "u1 HELLO WORLD\nu2 extra\n";
  std::ofstream(tmp.File("hyp1")) << "u1 HELLO WORLD\n";
  std::string out;
  const std::string base = kVerbatim + " score --ref " + tmp.File("ref") + " --summary-only ";
  REQUIRE(test::RunCommand(
              base + "--hyp " + tmp.File("hyp1") + " --upper --strip-punct --drop-tags", &out) ==
          0);
  CHECK_THAT(out, Catch::Contains("%WER 0.00 [ 0 / 2, 0 ins, 0 del, 0 sub ]"));
  REQUIRE(test::RunCommand(base + "--hyp " + tmp.File("hyp1") + " --normalize librispeech", &out) ==
          0);
  CHECK_THAT(out, Catch::Contains("%WER 0.00 [ 0 / 2,"));
  REQUIRE(test::RunCommand(base + "--hyp " + tmp.File("hyp1"), &out) == 0);
  CHECK_THAT(out, Catch::Contains("%WER 100.00 [ 4 / 4, 0 ins, 2 del, 2 sub ]"));

  CHECK(test::RunCommand(base + "--hyp " + tmp.File("hyp"), &out) == 1);
  CHECK_THAT(out, Catch::Contains("verbatim score: error: " + tmp.File("hyp") +
                                  ": line 2: utterance 'u2' has no reference"));
  CHECK(test::RunCommand(base + "--hyp " + tmp.File("hyp1") + " --mode nist", &out) == 1);
  CHECK_THAT(out, Catch::Contains("expected sclite or kaldi"));
  CHECK(test::RunCommand(base + "--hyp " + tmp.File("hyp1") + " --format trn", &out) == 1);
  CHECK_THAT(out, Catch::Contains(tmp.File("ref") + ": line 1: expected 'words (utterance-id)'"));
}

// "%WER 12.34 [ E / N, I ins, D del, S sub ]" -> {N, E, I, D, S}.
std::vector<int64_t> ParseRateLine(const std::string& report, const std::string& name) {
  const size_t at = report.find("%" + name + " ");
  REQUIRE(at != std::string::npos);
  std::istringstream in(report.substr(report.find('[', at) + 1));
  int64_t errors, n, ins, del, sub;
  std::string slash, word;
  in >> errors >> slash >> n >> word >> ins >> word >> del >> word >> sub;
  REQUIRE(in);
  return {n, errors, ins, del, sub};
}

TEST_CASE("verbatim score: totals equal sctk sclite's on random utterances", "[tools][score]") {
  if (test::SkipWithoutSclite()) return;
  const std::vector<test::ScliteInput> utts = test::RandomUtterances(4242, 400);
  const test::ScliteResult words = test::RunSclite(utts);
  const test::ScliteResult chars = test::RunSclite(utts, /*characters=*/true);
  test::TempDir tmp;
  {
    std::ofstream ref(tmp.File("ref.trn")), hyp(tmp.File("text"));
    for (const test::ScliteInput& u : utts) {
      for (const auto& w : u.ref) ref << w << ' ';
      ref << '(' << u.id << ")\n";
      hyp << u.id;
      for (const auto& w : u.hyp) hyp << ' ' << w;
      hyp << '\n';
    }
  }
  std::string out;
  REQUIRE(test::RunCommand(kVerbatim + " score --summary-only --ref " + tmp.File("ref.trn") +
                               " --hyp " + tmp.File("text"),
                           &out) == 0);
  INFO(out);
  for (const auto& check : {std::make_pair("WER", words.sum), std::make_pair("CER", chars.sum)}) {
    const std::vector<int64_t> ours = ParseRateLine(out, check.first);
    const EditCounts& s = check.second;
    CHECK(ours == std::vector<int64_t>{s.ref_tokens, s.substitutions + s.deletions + s.insertions,
                                       s.insertions, s.deletions, s.substitutions});
  }
}

}  // namespace
}  // namespace verbatim
