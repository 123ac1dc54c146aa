// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim fbank`: Kaldi's compute-fbank-feats. Same option names and
// defaults; reads audio files or wav.scp tables, writes a Kaldi text archive.
#include <iostream>

#include "base/atomic_file.h"
#include "base/error.h"
#include "frontend/fbank.h"
#include "frontend/kaldi_text_archive.h"
#include "tools/audio_inputs.h"
#include "tools/command.h"
#include "tools/feature_flags.h"

namespace verbatim {
namespace {

// Inputs are processed in blocks so that memory stays bounded for large sets.
constexpr size_t kBlockSize = 256;

class FbankCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "fbank",
        "Compute Kaldi-compatible log-mel filterbank features (as compute-fbank-feats).\n"
        "Inputs: audio files (wav, flac, ogg, ...; key = file name without extension) or\n"
        "Kaldi tables 'scp:wav.scp' / 'wav.scp'. Output: a Kaldi text archive on stdout,\n"
        "or to --output / a trailing 'ark,t:FILE' argument.\n"
        "Example: verbatim fbank --dither=0 --num-mel-bins=80 scp:data/wav.scp ark,t:feats.txt");
    flags_.Add(sub);
    sub->add_option("inputs", args_, "Audio files and/or wav.scp tables")->required();
    sub->add_option("-o,--output", output_, "Output archive ('-' = stdout)")->capture_default_str();
    sub->add_option("--threads", threads_, "Worker threads")->capture_default_str();
    sub->add_option("--channel", wav_opts_.audio.channel,
                    "Channel to use (-1 = average all channels)")
        ->capture_default_str();
    sub->add_flag("--allow-pipes", wav_opts_.allow_pipes,
                  "Run 'command |' entries of wav.scp (off by default)");
    return sub;
  }

  int Run() override {
    opts_ = flags_.Resolve();
    TakeOutputSpecifier();
    wav_opts_.audio.sample_rate_hz = static_cast<int>(opts_.frame.sample_frequency);
    const Fbank fbank(opts_);  // checks the options before any audio is read; thread-safe
    const std::vector<AudioInput> inputs = ExpandAudioInputs(args_);
    AtomicOutputFile out(output_);
    std::vector<FeatureMatrix> feats;
    for (size_t begin = 0; begin < inputs.size(); begin += kBlockSize) {
      const size_t end = std::min(inputs.size(), begin + kBlockSize);
      feats.assign(end - begin, FeatureMatrix());
      ParallelFor(end - begin, threads_, [&](size_t i) {
        feats[i] = fbank.Compute(LoadAudioInput(inputs[begin + i], wav_opts_).samples);
      });
      for (size_t i = begin; i < end; ++i)
        WriteKaldiTextMatrix(out.stream(), inputs[i].key, feats[i - begin]);
    }
    out.Commit();
    std::cerr << "verbatim fbank: " << inputs.size() << " utterances, dim " << opts_.Dim() << "\n";
    return 0;
  }

 private:
  // A trailing Kaldi wspecifier ("ark,t:feats.txt", "ark:-") names the output.
  void TakeOutputSpecifier() {
    if (args_.empty()) return;
    const std::string& last = args_.back();
    if (last.rfind("ark:", 0) != 0 && last.rfind("ark,t:", 0) != 0) return;
    output_ = last.substr(last.find(':') + 1);
    args_.pop_back();
    Check(!args_.empty(), "no input given before the output '" + last + "'");
  }

  FbankOptions opts_;
  FeatureFlags flags_;
  WavScpOptions wav_opts_;
  std::vector<std::string> args_;
  std::string output_ = "-";
  int threads_ = 1;
};

VERBATIM_REGISTER_COMMAND(FbankCommand);

}  // namespace

}  // namespace verbatim
