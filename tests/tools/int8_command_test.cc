// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim decode --int8` and `verbatim transcribe --int8` end to end on a
// tiny model trained for two steps (plumbing: its words are noise), and the
// refusal of INT8 on another device than the CPU.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.h"
#include "tests/tools/tiny_experiment.h"

namespace verbatim {
namespace {

const std::string kVerbatim = "OMP_WAIT_POLICY=PASSIVE " + std::string(VERBATIM_BINARY);

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

// data/ (6 tone utterances with transcripts) and exp/model trained for two
// steps, built once per test run.
const test::TinyExperiment& Setup() {
  static const test::TinyExperiment setup([] {
    test::TinyExperimentOptions o;
    o.utterances = test::ToneUtterances(6, [](int i) { return 12000 + 2000 * i; });
    return o;
  }());
  return setup;
}

std::string Run(const std::string& args, int* status) {
  std::string out;
  *status = test::RunCommand(kVerbatim + " " + args, &out);
  return out;
}

TEST_CASE("verbatim decode --int8 decodes and scores a data directory", "[tools][int8]") {
  const test::TinyExperiment& s = Setup();
  int status = 0;
  for (const std::string search : {"attention", "ctc_greedy"}) {
    INFO(search);
    const std::string out_dir = s.dir.File("dec_int8_" + search);
    const std::string out =
        Run("decode --int8 --search " + search + " --model " + s.model + " --data " + s.data +
                " --out " + out_dir + " --beam 3 --threads 1",
            &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("INT8") != std::string::npos);
    CHECK(CountLines(out_dir + "/text") == 6);
    CHECK(std::filesystem::exists(out_dir + "/wer"));
  }
  // Without --int8 the summary does not claim it.
  const std::string out = Run("decode --model " + s.model + " --data " + s.data + " --out " +
                                  s.dir.File("dec_fp32") + " --beam 3 --threads 1",
                              &status);
  REQUIRE(status == 0);
  CHECK(out.find("INT8") == std::string::npos);
}

TEST_CASE("verbatim transcribe --int8 writes transcripts", "[tools][int8]") {
  const test::TinyExperiment& s = Setup();
  int status = 0;
  const std::string json = s.dir.File("t.json");
  const std::string out = Run("transcribe --int8 --format json --model " + s.model + " -o " + json +
                                  " " + s.dir.File("utt3.wav") + " " + s.dir.File("utt5.wav"),
                              &status);
  INFO(out);
  REQUIRE(status == 0);
  std::ifstream in(json);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("\"files\"") != std::string::npos);
  if (test::HaveProgram("python3"))
    CHECK(test::RunCommand("python3 -c \"import json, sys; d = json.load(open(sys.argv[1])); "
                           "assert len(d['files']) == 2\" " +
                           json) == 0);
}

TEST_CASE("INT8 with --device cuda is refused", "[tools][int8]") {
  const test::TinyExperiment& s = Setup();
  int status = 0;
  std::string out = Run("decode --int8 --device cuda --model " + s.model + " --data " + s.data +
                            " --out " + s.dir.File("dec_cuda"),
                        &status);
  CHECK(status != 0);
  CHECK(out.find("INT8 inference runs on the CPU only, not on device 'cuda'") != std::string::npos);
  CHECK(!std::filesystem::exists(s.dir.File("dec_cuda")));
  out = Run("transcribe --int8 --device cuda:0 --model " + s.model + " " + s.dir.File("utt0.wav"),
            &status);
  CHECK(status != 0);
  CHECK(out.find("INT8 inference runs on the CPU only, not on device 'cuda:0'") !=
        std::string::npos);
}

}  // namespace
}  // namespace verbatim
