// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The data validator finds each kind of problem, with file and line, and
// tells errors (unusable) from warnings (usable).
#include "asr/data/data_validator.h"
#include "asr/util/utf8.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace verbatim {
namespace {

using Kind = DataProblemKind;

// A clean set: three recordings (1 s, 2 s, 0.5 s).
struct ValidatorFixture {
  test::TempDir tmp;
  std::string dir = tmp.File("data");
  ValidatorFixture() {
    std::filesystem::create_directories(dir);
    test::WriteAudio(tmp.File("a.wav"), test::Sine(300, 16000, 16000), 16000, 1);
    test::WriteAudio(tmp.File("b.flac"), test::Sine(300, 16000, 32000), 16000, 1, "flac");
    test::WriteAudio(tmp.File("c.wav"), test::Sine(300, 8000, 4000), 8000, 1);
    Put("wav.scp",
        "a " + tmp.File("a.wav") + "\nb " + tmp.File("b.flac") + "\nc " + tmp.File("c.wav") + "\n");
    Put("text", "a hello world\nb good morning\nc hi\n");
    Put("utt2spk", "a s1\nb s1\nc s2\n");
    Put("spk2utt", "s1 a b\ns2 c\n");
  }
  void Put(const std::string& name, const std::string& content) const {
    std::ofstream(dir + "/" + name) << content;
  }
  DataValidationReport Validate(const DataValidatorOptions& opts = {}) const {
    return DataValidator(opts).Validate(dir);
  }
};

// The one problem of the report, checked to be of `kind` with `count`
// occurrences and an example containing `example`.
void CheckOnly(const DataValidationReport& report, Kind kind, size_t count,
               const std::string& example) {
  INFO(report.Summary());
  REQUIRE(report.problems.size() == 1);
  const DataProblem& p = report.problems[0];
  CHECK(p.kind == kind);
  CHECK(p.count == count);
  REQUIRE_FALSE(p.examples.empty());
  CHECK_THAT(p.examples[0], Catch::Contains(example));
}

TEST_CASE("DataValidator passes a clean set", "[data]") {
  ValidatorFixture f;
  const DataValidationReport report = f.Validate();
  INFO(report.Summary());
  CHECK(report.problems.empty());
  CHECK(report.usable());
  CHECK(report.num_utterances == 3);
  CHECK(report.num_recordings == 3);
  CHECK(report.num_speakers == 2);
  CHECK(report.total_duration_s == Approx(3.5));
  CHECK_THAT(report.Summary(), Catch::Contains("usable (0 errors, 0 warnings)"));
}

TEST_CASE("DataValidator finds each kind of problem", "[data]") {
  ValidatorFixture f;
  SECTION("missing wav.scp") {
    std::filesystem::remove(f.dir + "/wav.scp");
    CheckOnly(f.Validate(), Kind::kMissingFile, 1, "wav.scp: missing");
  }
  SECTION("missing text") {
    std::filesystem::remove(f.dir + "/text");
    CheckOnly(f.Validate(), Kind::kMissingFile, 1, "text: missing");
    DataValidatorOptions opts;
    opts.require_text = false;
    CHECK(f.Validate(opts).problems.empty());
  }
  SECTION("malformed lines") {
    f.Put("utt2spk", "a s1\nb\nc s2\n");
    const auto report = f.Validate();
    REQUIRE(report.Find(Kind::kBadLine));
    CHECK_THAT(report.Find(Kind::kBadLine)->examples[0], Catch::Contains("utt2spk: line 2"));
  }
  SECTION("duplicated ids") {
    f.Put("text", "a hello world\nb good morning\nb again\nc hi\na more\n");
    CheckOnly(f.Validate(), Kind::kDuplicateId, 2, "text: line 3: 'b' (first on line 2)");
  }
  SECTION("ids in one file and not another") {
    f.Put("text", "a hello world\nc hi\nd extra\n");
    const auto report = f.Validate();
    CheckOnly(report, Kind::kIdMismatch, 2, "text: line 3: 'd' is not in");
    CHECK_THAT(report.problems[0].examples[1],
               Catch::Contains("wav.scp: line 2: 'b' has no entry in") && Catch::Contains("/text"));
  }
  SECTION("segments: bad times, unknown recording, outside the audio, ids") {
    f.Put("segments",
          "a-1 a 0 0.5\na-2 a 0.6 0.5\nb-1 b -1 1\nb-2 zz 0 1\nc-1 c 0.25 0.75\nc-2 c 1 2\n"
          "c-3 c 0 x\n");
    f.Put("text", "a-1 x\na-2 x\nb-1 x\nb-2 x\nc-1 x\nc-2 x\nc-3 x\n");
    f.Put("utt2spk", "a-1 s\na-2 s\nb-1 s\nb-2 s\nc-1 s\nc-2 s\nc-3 s\n");
    f.Put("spk2utt", "s a-1 a-2 b-1 b-2 c-1 c-2 c-3\n");
    const auto report = f.Validate();
    INFO(report.Summary());
    const DataProblem* bad = report.Find(Kind::kBadSegment);
    REQUIRE(bad);
    CHECK(bad->count == 4);
    CHECK_THAT(bad->examples[0], Catch::Contains("segments: line 2: 'a-2'"));
    CHECK_THAT(bad->examples[1], Catch::Contains("segments: line 3: 'b-1'"));
    CHECK_THAT(bad->examples[2], Catch::Contains("line 4: 'b-2' names unknown recording 'zz'"));
    CHECK_THAT(bad->examples[3], Catch::Contains("line 6: 'c-2' [1, 2) s lies outside 'c'"));
    REQUIRE(report.Find(Kind::kBadLine));
    CHECK_THAT(report.Find(Kind::kBadLine)->examples[0], Catch::Contains("segments: line 7"));
    CHECK_FALSE(report.Find(Kind::kIdMismatch));    // text and utt2spk follow segments
    CHECK(report.total_duration_s == Approx(1.0));  // a-1 and c-1
  }
  SECTION("missing and unreadable audio") {
    std::ofstream(f.tmp.File("c.wav")) << "RIFF but not really";
    f.Put("wav.scp", "a " + f.tmp.File("gone.wav") + "\nb " + f.tmp.File("b.flac") + "\nc " +
                         f.tmp.File("c.wav") + "\n");
    const auto report = f.Validate();
    INFO(report.Summary());
    REQUIRE(report.problems.size() == 2);
    CHECK(report.problems[0].kind == Kind::kMissingAudio);
    CHECK_THAT(report.problems[0].examples[0],
               Catch::Contains("wav.scp: line 1: 'a': ") && Catch::Contains("gone.wav"));
    CHECK(report.problems[1].kind == Kind::kUnreadableAudio);
    CHECK_THAT(report.problems[1].examples[0], Catch::Contains("wav.scp: line 3: 'c'"));
    CHECK_FALSE(report.usable());
  }
  SECTION("pipe entries") {
    f.Put("wav.scp", "a " + f.tmp.File("a.wav") + "\nb sox -V1 " + f.tmp.File("b.flac") +
                         " -t wav - |\nc " + f.tmp.File("c.wav") + "\n");
    CheckOnly(f.Validate(), Kind::kPipeEntry, 1, "wav.scp: line 2: 'b': sox");
    if (test::HaveProgram("sox")) {
      DataValidatorOptions opts;
      opts.allow_pipes = true;
      const auto report = f.Validate(opts);
      INFO(report.Summary());
      CHECK(report.problems.empty());
      CHECK(report.total_duration_s == Approx(3.5));
    }
  }
  SECTION("empty transcripts") {
    f.Put("text", "a hello world\nb\nc   \n");
    CheckOnly(f.Validate(), Kind::kEmptyText, 2, "text: line 2: 'b'");
  }
  SECTION("characters outside the tokenizer") {
    f.Put("text", "a héllo world\nb good morning!\nc hi\n");
    DataValidatorOptions opts;
    opts.unmappable_characters = CharsetChecker("abcdefghijklmnopqrstuvwxyz'\n");
    const auto report = f.Validate(opts);
    CheckOnly(report, Kind::kUnmappableCharacters, 2, "text: line 1: 'a': 'é'");
    CHECK(report.unmappable_characters == std::map<std::string, size_t>{{"!", 1}, {"é", 1}});
    CHECK_THAT(report.Summary(), Catch::Contains("'!' (1)"));
  }
  SECTION("spk2utt out of step with utt2spk") {
    f.Put("spk2utt", "s1 a\ns2 b c\n");
    CheckOnly(f.Validate(), Kind::kSpeakerMapMismatch, 1,
              "spk2utt: line 2: 'b' under speaker 's2', utt2spk says 's1'");
  }
  SECTION("unsorted files are a warning") {
    f.Put("text", "b good morning\na hello world\nc hi\n");
    const auto report = f.Validate();
    CheckOnly(report, Kind::kUnsorted, 1, "text: line 2: 'a' after 'b'");
    CHECK(report.usable());
  }
  SECTION("implausible durations are warnings, with adjustable limits") {
    DataValidatorOptions opts;
    opts.min_duration_s = 0.6;
    opts.max_duration_s = 1.5;
    const auto report = f.Validate(opts);
    INFO(report.Summary());
    REQUIRE(report.problems.size() == 2);
    CHECK(report.problems[0].kind == Kind::kTooShort);
    CHECK_THAT(report.problems[0].examples[0], Catch::Contains("'c': 0.5 s"));
    CHECK(report.problems[1].kind == Kind::kTooLong);
    CHECK_THAT(report.problems[1].examples[0], Catch::Contains("'b': 2 s"));
    CHECK(report.usable());
    CHECK(report.CountWarnings() == 2);
    CHECK(f.Validate().problems.empty());  // defaults: 0.1 s .. 1 hour
  }
}

TEST_CASE("DataValidator keeps the first few examples and counts all", "[data]") {
  ValidatorFixture f;
  std::string text;
  for (int i = 0; i < 20; ++i) text += "zz" + std::to_string(10 + i) + " x\n";
  f.Put("text", "a hello world\nb good morning\nc hi\n" + text);
  DataValidatorOptions opts;
  opts.max_examples = 3;
  const auto report = f.Validate(opts);
  CheckOnly(report, Kind::kIdMismatch, 20, "'zz10'");
  CHECK(report.problems[0].examples.size() == 3);
  CHECK_THAT(report.Summary(), Catch::Contains("... (17 more)") && Catch::Contains("NOT usable"));
}

TEST_CASE("SplitUtf8 and CharsetChecker", "[data]") {
  CHECK(SplitUtf8CharactersLenient("aé€😀") == std::vector<std::string>{"a", "é", "€", "😀"});
  CHECK(SplitUtf8CharactersLenient("a\xff") == std::vector<std::string>{"a", "\\xFF"});
  CHECK(SplitUtf8CharactersLenient("\xc3") ==
        std::vector<std::string>{"\\xC3"});  // truncated sequence
  const UnmappableCharactersFn check = CharsetChecker("A B\nC é");
  CHECK(check("AB C\tCé").empty());
  CHECK(check("ABD é?") == std::vector<std::string>{"D", "?"});
}

}  // namespace
}  // namespace verbatim
