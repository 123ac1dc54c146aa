// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim score --ref REF --hyp HYP`: word and character error rates with
// sclite's alignment (or Kaldi compute-wer's), per-utterance alignments, the
// most frequent errors and a per-speaker table.
#include <filesystem>
#include <iostream>

#include "asr/data/wav_scp.h"
#include "asr/eval/score_report_writer.h"
#include "asr/eval/transcript_file.h"
#include "asr/eval/wer_scorer.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "tools/command.h"

namespace verbatim {
namespace {

class ScoreCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "score",
        "Word and character error rates of hypotheses against references, counted as NIST\n"
        "sclite counts them (substitution 4, insertion 3, deletion 3, sclite's tie-breaking)\n"
        "or as Kaldi's compute-wer (--mode kaldi). Prints %WER/%CER/%SER lines, a table\n"
        "like sclite's (per speaker with --utt2spk), the most frequent errors and each\n"
        "utterance's alignment; --json prints the same as one JSON object (rates as\n"
        "fractions). CER counts characters of the words, spaces excluded. Words are compared\n"
        "byte for byte after normalization (sclite ignores case by default: --upper does the\n"
        "same). A reference without hypothesis counts as all deletions (warning); a\n"
        "hypothesis without reference is an error.");
    sub->add_option("--ref", ref_, "Reference transcripts (Kaldi text, or sclite trn)")->required();
    sub->add_option("--hyp", hyp_, "Hypothesis transcripts (Kaldi text, or sclite trn)")
        ->required();
    sub->add_option("--format", format_,
                    "auto (trn for files named *.trn, Kaldi text otherwise), text or trn")
        ->capture_default_str();
    sub->add_option("--utt2spk", utt2spk_, "Kaldi utt2spk: per-speaker breakdown");
    sub->add_option("--mode", mode_, "sclite or kaldi (alignment costs and tie-breaking)")
        ->capture_default_str();
    sub->add_option("--normalize", preset_,
                    "Normalization preset applied to both sides: none, librispeech, lowercase")
        ->capture_default_str();
    sub->add_flag("--upper", upper_, "Upper-case both sides");
    sub->add_flag("--strip-punct", strip_punct_,
                  "Replace punctuation by spaces (apostrophes inside words kept)");
    sub->add_flag("--drop-tags", drop_tags_, "Remove bracketed tags: [noise], <unk>, ...");
    sub->add_option("--top", opts_.top_errors, "Entries per list of most frequent errors")
        ->capture_default_str();
    sub->add_flag("--summary-only", summary_only_,
                  "Text report without the per-utterance alignments");
    sub->add_flag("--json", json_, "Print JSON instead of the text report");
    sub->add_option("--out", out_dir_,
                    "Also write report.txt, score.json and wer (the %WER/%CER/%SER lines) here");
    return sub;
  }

  int Run() override {
    opts_.mode = ParseAlignmentMode(mode_);
    opts_.normalizer = NormalizerPreset(preset_);
    if (upper_) opts_.normalizer.letter_case = LetterCase::kUpper;
    if (strip_punct_) opts_.normalizer.remove_punctuation = true;
    if (drop_tags_) opts_.normalizer.drop_tags = true;
    const TranscriptFormat format = ParseTranscriptFormat(format_);

    ScoringInput input;
    input.refs = ReadTranscripts(ref_, format);
    input.hyps = ReadTranscripts(hyp_, format);
    input.hyp_name = hyp_;
    if (!utt2spk_.empty()) {
      for (const ScpEntry& e : ReadScp(utt2spk_)) input.utt2spk[e.key] = e.value;
      input.utt2spk_name = utt2spk_;
    }
    const ScoreReport report = WerScorer(opts_).Score(input);
    for (const std::string& w : report.warnings)
      std::cerr << "verbatim score: warning: " << w << '\n';

    ScoreReportOptions text_opts;
    text_opts.alignments = !summary_only_;
    if (json_) {
      WriteScoreJson(report, std::cout);
    } else {
      WriteScoreText(report, std::cout, text_opts);
    }
    std::cout << std::flush;
    if (!out_dir_.empty()) WriteFiles(report);
    return 0;
  }

 private:
  void WriteFiles(const ScoreReport& report) const {
    std::error_code ec;
    std::filesystem::create_directories(out_dir_, ec);
    Check(!ec, out_dir_ + ": cannot create the directory: " + ec.message());
    AtomicOutputFile text(out_dir_ + "/report.txt");
    WriteScoreText(report, text.stream());
    AtomicOutputFile json(out_dir_ + "/score.json");
    WriteScoreJson(report, json.stream());
    AtomicOutputFile summary(out_dir_ + "/wer");
    WriteScoreSummary(report, summary.stream());
    text.Commit();
    json.Commit();
    summary.Commit();
  }

  std::string ref_, hyp_, utt2spk_, out_dir_;
  std::string format_ = "auto", mode_ = "sclite", preset_ = "none";
  bool upper_ = false, strip_punct_ = false, drop_tags_ = false;
  bool summary_only_ = false, json_ = false;
  WerScorerOptions opts_;
};

VERBATIM_REGISTER_COMMAND(ScoreCommand);

}  // namespace
}  // namespace verbatim
