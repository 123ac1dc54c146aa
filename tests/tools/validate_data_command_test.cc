// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim validate-data` end to end: exit 0 for usable sets (warnings
// allowed), 1 with a summary and one error line for unusable ones.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = VERBATIM_BINARY;

struct DataDir {
  test::TempDir tmp;
  std::string dir = tmp.File("data");
  DataDir() {
    fs::create_directories(dir);
    test::WriteAudio(tmp.File("a.wav"), test::Sine(300, 16000, 16000), 16000, 1);
    test::WriteAudio(tmp.File("b.wav"), test::Sine(300, 16000, 800), 16000, 1);  // 0.05 s
    Put("wav.scp", "a " + tmp.File("a.wav") + "\nb " + tmp.File("b.wav") + "\n");
    Put("text", "a hello\nb hi\n");
    Put("utt2spk", "a s\nb s\n");
  }
  void Put(const std::string& name, const std::string& content) const {
    std::ofstream(dir + "/" + name) << content;
  }
  int Run(const std::string& args, std::string* out, std::string* err) const {
    const int status =
        test::RunCommand(kVerbatim + " validate-data " + args + " 2>" + tmp.File("err.txt"), out);
    std::ifstream in(tmp.File("err.txt"));
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return status;
  }
};

TEST_CASE("verbatim validate-data: warnings keep exit 0", "[tools][data]") {
  DataDir d;
  std::string out, err;
  CHECK(d.Run(d.dir, &out, &err) == 0);
  INFO(out);
  CHECK_THAT(out, Catch::Contains(d.dir + ": 2 utterances, 2 recordings, 1 speakers") &&
                      Catch::Contains("warning: shorter than 0.1 s: 1") &&
                      Catch::Contains("'b': 0.05 s") &&
                      Catch::Contains("usable (0 errors, 1 warnings)"));
  CHECK(err.empty());
  CHECK(d.Run("--min-duration 0.01 " + d.dir, &out, &err) == 0);
  CHECK_THAT(out, Catch::Contains("usable (0 errors, 0 warnings)"));
}

TEST_CASE("verbatim validate-data: errors exit 1 with a summary", "[tools][data]") {
  DataDir d;
  d.Put("wav.scp", "a " + d.tmp.File("a.wav") + "\nb " + d.tmp.File("b.wav") + "\nc " +
                       d.tmp.File("missing.wav") + "\n");
  d.Put("text", "a hello\nb\nc hé\nc again\n");
  d.Put("utt2spk", "a s\nb s\n");
  std::ofstream(d.tmp.File("charset.txt")) << "abcdefghijklmnopqrstuvwxyz\n";
  std::string out, err;
  CHECK(d.Run("--charset " + d.tmp.File("charset.txt") + " " + d.dir, &out, &err) == 1);
  INFO(out);
  CHECK_THAT(out, Catch::Contains("error: duplicated id: 1\n  " + d.dir +
                                  "/text: line 4: 'c' (first on line 3)") &&
                      Catch::Contains("error: id in one file and not in another: 1") &&
                      Catch::Contains("error: missing audio: 1") &&
                      Catch::Contains("error: empty transcript: 1") &&
                      Catch::Contains("error: characters the tokenizer cannot map: 1") &&
                      Catch::Contains("'é' (1)") && Catch::Contains("NOT usable (5 errors"));
  CHECK_THAT(err, Catch::StartsWith("verbatim validate-data: error: " + d.dir + ": not usable"));
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);

  CHECK(d.Run(d.tmp.File("nowhere"), &out, &err) == 1);
  CHECK_THAT(out, Catch::Contains("nowhere/wav.scp: missing"));
  CHECK(d.Run("--charset " + d.tmp.File("nocharset.txt") + " " + d.dir, &out, &err) == 1);
  CHECK_THAT(err, Catch::Contains("nocharset.txt: cannot open"));
}

}  // namespace
}  // namespace verbatim
