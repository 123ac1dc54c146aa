// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim prepare CORPUS`: corpus layouts -> Kaldi data directories.
// One nested subcommand per corpus (LibriSpeech so far).
#include <cstdio>
#include <iostream>
#include <set>

#include "asr/data/librispeech.h"
#include "tools/command.h"

namespace verbatim {
namespace {

constexpr size_t kExamples = 5;  // orphans listed per kind

void PrintOrphans(const std::string& subset, const std::vector<std::string>& items,
                  const std::string& what) {
  std::cout << subset << ": " << items.size() << " " << what << " (left out)\n";
  for (size_t i = 0; i < items.size() && i < kExamples; ++i) std::cout << "  " << items[i] << "\n";
  if (items.size() > kExamples) std::cout << "  ... (" << items.size() - kExamples << " more)\n";
}

class PrepareCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "prepare", "Turn a corpus in its original layout into Kaldi data directories.");
    sub->require_subcommand(1);
    librispeech_ = sub->add_subcommand(
        "librispeech",
        "LibriSpeech (published at openslr.org/12; download and unpack it yourself, nothing is\n"
        "downloaded here). Reads <root>/<subset>/<spk>/<chapter>/*.flac and *.trans.txt and\n"
        "writes one Kaldi data directory per subset, '-' replaced by '_' (dev-clean ->\n"
        "OUT/dev_clean): wav.scp (absolute paths), text, utt2spk (speaker = <spk>-<chapter>),\n"
        "spk2utt, utt2dur. Audio without transcript and transcripts without audio are listed\n"
        "and left out.\n"
        "Example: verbatim prepare librispeech --root /corpora/LibriSpeech\n"
        "           --subsets train-clean-100,dev-clean,test-clean --out data");
    librispeech_->add_option("--root", root_, "Folder holding the subsets (e.g. .../LibriSpeech)")
        ->required();
    librispeech_
        ->add_option("--subsets", subsets_, "Comma-separated subsets, e.g. dev-clean,test-clean")
        ->required()
        ->delimiter(',');
    librispeech_->add_option("--out", out_, "Output folder of the data directories")->required();
    librispeech_->add_option("--threads", opts_.threads, "Threads reading FLAC headers")
        ->capture_default_str();
    return sub;
  }

  int Run() override {
    LibriSpeech corpus(root_, opts_);
    // Every subset must exist before anything is written.
    for (const std::string& subset : subsets_) corpus.CheckSubset(subset);
    for (const std::string& subset : subsets_) {
      const LibriSpeechSubset set = corpus.ReadSubset(subset);
      const std::string dir = out_ + "/" + LibriSpeech::DataDirName(subset);
      set.data.Write(dir);
      Report(set, dir);
    }
    return 0;
  }

 private:
  static void Report(const LibriSpeechSubset& set, const std::string& dir) {
    std::set<std::string> speakers;
    double seconds = 0.0;
    for (const Utterance& u : set.data.utterances()) {
      speakers.insert(u.speaker);
      seconds += u.duration_s;
    }
    char hours[64];
    std::snprintf(hours, sizeof(hours), "%.2f hours (%.1f s)", seconds / 3600.0, seconds);
    std::cout << set.name << ": " << set.data.size() << " utterances, " << speakers.size()
              << " speakers, " << hours << " -> " << dir << "\n";
    PrintOrphans(set.name, set.audio_without_text, "audio files without transcript");
    PrintOrphans(set.name, set.text_without_audio, "transcripts without audio");
  }

  CLI::App* librispeech_ = nullptr;
  std::string root_, out_;
  std::vector<std::string> subsets_;
  LibriSpeechOptions opts_;
};

VERBATIM_REGISTER_COMMAND(PrepareCommand);

}  // namespace
}  // namespace verbatim
