// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim compute-cmvn`: global CMVN statistics over a set of utterances,
// from audio (features computed on the fly) or from a Kaldi text archive.
#include <iostream>

#include "base/error.h"
#include "frontend/cmvn.h"
#include "frontend/fbank.h"
#include "frontend/kaldi_text_archive.h"
#include "tools/audio_inputs.h"
#include "tools/command.h"
#include "tools/feature_flags.h"

namespace verbatim {
namespace {

class ComputeCmvnCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "compute-cmvn",
        "Accumulate global CMVN statistics (Kaldi's 2 x (dim+1) text matrix: sums and count,\n"
        "sums of squares). Inputs: audio files / wav.scp tables (fbank computed with the\n"
        "options below), or Kaldi text feature archives with --from-features.\n"
        "Examples: verbatim compute-cmvn --num-mel-bins=80 --out cmvn.txt data/train/wav.scp\n"
        "          verbatim compute-cmvn --config conf/train.yaml --out cmvn.txt "
        "data/train/wav.scp");
    flags_.Add(sub);
    sub->add_option("inputs", args_, "Audio files, wav.scp tables, or feature archives")
        ->required();
    sub->add_option("--out", output_, "Output statistics file")->required();
    sub->add_flag("--from-features", from_features_,
                  "Inputs are Kaldi text feature archives, not audio");
    sub->add_option("--threads", threads_, "Worker threads")->capture_default_str();
    sub->add_flag("--allow-pipes", wav_opts_.allow_pipes,
                  "Run 'command |' entries of wav.scp (off by default)");
    return sub;
  }

  int Run() override {
    opts_ = flags_.Resolve();
    CmvnStats total;
    size_t count = 0;
    if (from_features_) {
      for (const std::string& path : args_) {
        for (const auto& entry : ReadKaldiTextArchive(path)) {
          total.Accumulate(entry.second);
          ++count;
        }
      }
    } else {
      wav_opts_.audio.sample_rate_hz = static_cast<int>(opts_.frame.sample_frequency);
      const std::vector<AudioInput> inputs = ExpandAudioInputs(args_);
      std::vector<CmvnStats> partial(inputs.size());
      const Fbank fbank(opts_);  // thread-safe
      ParallelFor(inputs.size(), threads_, [&](size_t i) {
        partial[i].Accumulate(fbank.Compute(LoadAudioInput(inputs[i], wav_opts_).samples));
      });
      for (const CmvnStats& s : partial) total.Merge(s);  // in order: deterministic sums
      count = inputs.size();
    }
    Check(total.count() > 0, "no frames in the inputs: cannot compute CMVN statistics");
    total.Save(output_);
    std::cerr << "verbatim compute-cmvn: " << count << " utterances, " << total.count()
              << " frames, dim " << total.dim() << " -> " << output_ << "\n";
    return 0;
  }

 private:
  FbankOptions opts_;
  FeatureFlags flags_;
  WavScpOptions wav_opts_;
  std::vector<std::string> args_;
  std::string output_;
  bool from_features_ = false;
  int threads_ = 1;
};

VERBATIM_REGISTER_COMMAND(ComputeCmvnCommand);

}  // namespace

}  // namespace verbatim
