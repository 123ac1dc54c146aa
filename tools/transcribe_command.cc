// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim transcribe`: speech to text for audio files of any length, rate
// and channel count, as text, JSON, SRT, WebVTT or CTM.
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "asr/decode/search_factory.h"
#include "asr/model/model_dir.h"
#include "asr/transcribe/transcriber.h"
#include "asr/transcribe/transcript_writer.h"
#include "asr/util/compute_threads.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "tools/command.h"
#include "tools/search_flags.h"

namespace verbatim {
namespace {

// Files at least this long get a progress bar (when stderr is a terminal).
constexpr double kProgressMinS = 60.0;

std::string Clock(double seconds) {
  const long long s = static_cast<long long>(seconds);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// A one-line progress bar on stderr, redrawn at most every 0.2 s.
class ProgressBar {
 public:
  explicit ProgressBar(const std::string& name) : name_(name) {}
  ~ProgressBar() {
    if (drawn_) std::cerr << "\n";
  }
  void Update(double done_s, double total_s) {
    const auto now = std::chrono::steady_clock::now();
    if (total_s < kProgressMinS ||
        (drawn_ && now - last_ < std::chrono::milliseconds(200) && done_s < total_s))
      return;
    last_ = now;
    drawn_ = true;
    constexpr int kWidth = 30;
    const double fraction = std::min(1.0, done_s / total_s);
    const int filled = static_cast<int>(fraction * kWidth);
    std::cerr << "\r" << name_ << " [" << std::string(filled, '#')
              << std::string(kWidth - filled, '.') << "] " << static_cast<int>(100 * fraction)
              << "% " << Clock(done_s) << " / " << Clock(total_s) << std::flush;
  }

 private:
  std::string name_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

class TranscribeCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "transcribe",
        "Transcribe audio files (any format libsndfile reads, any rate and channel count,\n"
        "any length: long recordings are cut at pauses by an energy voice activity detector).\n"
        "Formats: text (one line per file; 'KEY TEXT' lines for several files), json (n-best\n"
        "with scores, word times and confidences), srt, vtt (subtitles, one file each) and ctm.\n"
        "Example: verbatim transcribe --model exp/train/model --format srt talk.flac -o talk.srt");
    sub->add_option("--model", model_dir_, "Model directory (verbatim train)")->required();
    sub->add_option("files", files_, "Audio files")->required();
    sub->add_option("--format", format_, "text, json, srt, vtt or ctm")->capture_default_str();
    sub->add_option("-o,--output", output_, "Output file ('-' = stdout)")->capture_default_str();
    sub->add_option("--output-dir", output_dir_,
                    "Write one file per input instead: DIR/KEY.FORMAT");
    AddSearchFlags(sub, &opts_.search, &opts_.search_options);
    sub->add_option("--nbest", opts_.search_options.nbest, "Hypotheses per segment (json)")
        ->capture_default_str();
    sub->add_option("--batch-size", opts_.batch_size, "Segments per decoder batch")
        ->capture_default_str();
    sub->add_option("--threads", threads_, "Threads (features and LibTorch)")
        ->capture_default_str();
    AddModelLoadFlags(sub, &load_);
    sub->add_option("--max-segment", opts_.vad.max_segment_s,
                    "Longest segment in seconds; longer speech is cut at its quietest point")
        ->capture_default_str();
    sub->add_option("--vad-threshold", opts_.vad.threshold_db,
                    "dB above the noise floor for a frame to count as speech")
        ->capture_default_str();
    sub->add_option("--min-silence", opts_.vad.min_silence_ms,
                    "Shortest pause (ms) that ends a segment")
        ->capture_default_str();
    sub->add_flag("-v,--verbose", verbose_,
                  "Per file: segments, audio and compute seconds, real-time factor");
    return sub;
  }

  int Run() override {
    load_.Validate();  // before any work: --int8 is for the CPU only
    SetComputeThreads(threads_);
    torch::NoGradGuard no_grad;
    const TranscriptionFormat format = ParseTranscriptionFormat(format_);
    opts_.threads = threads_;
    opts_.device = load_.device;
    opts_.Validate();
    const bool subtitles =
        format == TranscriptionFormat::kSrt || format == TranscriptionFormat::kVtt;
    Check(output_dir_.empty() || output_ == "-", "give --output or --output-dir, not both");
    Check(!subtitles || files_.size() == 1 || !output_dir_.empty(),
          format_ + " holds one file's subtitles: use --output-dir for several files");
    const LoadedModel model = LoadModelDir(model_dir_, load_);
    Transcriber transcriber(model, opts_);
    const bool terminal = isatty(STDERR_FILENO) != 0;

    std::unique_ptr<AtomicOutputFile> out;
    std::unique_ptr<TranscriptWriter> writer;
    if (output_dir_.empty()) {
      out = std::make_unique<AtomicOutputFile>(output_);
      writer = std::make_unique<TranscriptWriter>(out->stream(), format, files_.size() > 1);
    } else {
      std::filesystem::create_directories(output_dir_);
    }
    for (const std::string& file : files_) {
      FileTranscript transcript;
      {
        ProgressBar bar(file);
        transcript = transcriber.Transcribe(file, [&](double done_s, double total_s) {
          if (terminal) bar.Update(done_s, total_s);
        });
      }
      if (verbose_) Report(transcript);
      if (writer) {
        writer->Write(transcript);
        continue;
      }
      AtomicOutputFile file_out(output_dir_ + "/" + transcript.key + "." +
                                TranscriptionFormatName(format));
      TranscriptWriter file_writer(file_out.stream(), format);
      file_writer.Write(transcript);
      file_writer.Finish();
      file_out.Commit();
    }
    if (writer) {
      writer->Finish();
      out->Commit();
    }
    return 0;
  }

 private:
  static void Report(const FileTranscript& t) {
    size_t spoken = 0;
    for (const auto& s : t.segments) spoken += !s.text().empty();
    char line[256];
    std::snprintf(line, sizeof(line),
                  ": %zu segments (%zu with text), %.2f s of audio in %.2f s "
                  "(real-time factor %.3f)",
                  t.segments.size(), spoken, t.duration_s, t.compute_s,
                  t.duration_s > 0 ? t.compute_s / t.duration_s : 0.0);
    std::cerr << t.path << line << "\n";
  }

  std::string model_dir_, format_ = "text", output_ = "-", output_dir_;
  ModelLoadOptions load_;
  std::vector<std::string> files_;
  TranscriberOptions opts_;
  int threads_ = 2;
  bool verbose_ = false;
};

VERBATIM_REGISTER_COMMAND(TranscribeCommand);

}  // namespace
}  // namespace verbatim
