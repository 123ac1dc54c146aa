// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim validate-data DIR`: checks a Kaldi data directory and prints a
// summary; the exit status is 1 when any error-level problem was found.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "asr/data/data_validator.h"
#include "asr/text/tokenizer.h"
#include "base/error.h"
#include "tools/command.h"

namespace verbatim {
namespace {

class ValidateDataCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "validate-data",
        "Check a Kaldi data directory (wav.scp, text, utt2spk, spk2utt, segments): malformed\n"
        "lines, duplicated ids, ids missing from one of the files, bad segments, missing or\n"
        "unreadable audio (every header is opened), empty transcripts, characters outside\n"
        "--charset, unsorted files, implausible durations. Prints counts and examples per\n"
        "problem; exits 1 when the set is unusable (any error), 0 with warnings only.");
    sub->add_option("dir", dir_, "Data directory")->required();
    sub->add_option("--min-duration", opts_.min_duration_s,
                    "Seconds; shorter utterances are reported (warning)")
        ->capture_default_str();
    sub->add_option("--max-duration", opts_.max_duration_s,
                    "Seconds; longer utterances are reported (warning)")
        ->capture_default_str();
    sub->add_option("--charset", charset_,
                    "UTF-8 file whose non-space characters are the allowed ones: transcript\n"
                    "characters outside it are errors");
    sub->add_option("--tokenizer", tokenizer_dir_,
                    "Tokenizer directory: transcript characters it cannot map are errors");
    sub->add_flag("--no-text", no_text_, "The set has no transcripts (no text file needed)");
    sub->add_flag("--allow-pipes", opts_.allow_pipes,
                  "Run 'command |' entries of wav.scp to check them (off: they are errors)");
    sub->add_option("--threads", opts_.threads, "Threads opening audio headers")
        ->capture_default_str();
    sub->add_option("--max-examples", opts_.max_examples, "Examples printed per problem")
        ->capture_default_str();
    return sub;
  }

  int Run() override {
    opts_.require_text = !no_text_;
    if (!charset_.empty()) opts_.unmappable_characters = CharsetChecker(ReadCharset());
    std::shared_ptr<Tokenizer> tokenizer;
    if (!tokenizer_dir_.empty()) {
      Check(charset_.empty(), "give --charset or --tokenizer, not both");
      tokenizer = std::make_shared<Tokenizer>(Tokenizer::Load(tokenizer_dir_));
      opts_.unmappable_characters = [tokenizer](const std::string& text) {
        return tokenizer->UnknownCharacters(text);
      };
    }
    const DataValidationReport report = DataValidator(opts_).Validate(dir_);
    std::cout << report.Summary() << std::flush;
    Check(report.usable(), dir_ + ": not usable: " + std::to_string(report.CountErrors()) +
                               " error(s), see the summary above");
    return 0;
  }

 private:
  std::string ReadCharset() const {
    std::ifstream in(charset_);
    Check(static_cast<bool>(in), charset_ + ": cannot open the character set");
    std::ostringstream text;
    text << in.rdbuf();
    Check(!text.str().empty(), charset_ + ": empty character set");
    return text.str();
  }

  std::string dir_, charset_, tokenizer_dir_;
  bool no_text_ = false;
  DataValidatorOptions opts_;
};

VERBATIM_REGISTER_COMMAND(ValidateDataCommand);

}  // namespace
}  // namespace verbatim
