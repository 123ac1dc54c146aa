// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim audio-info`: what the frontend sees in audio files (like soxi).
#include <cstdio>
#include <iostream>

#include "frontend/audio_reader.h"
#include "tools/command.h"

namespace verbatim {
namespace {

class AudioInfoCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "audio-info",
        "Print format, sample rate, channels and duration of audio files, one line each\n"
        "(tab-separated: path, format, rate in Hz, channels, samples, seconds).");
    sub->add_option("files", files_, "Audio files")->required();
    return sub;
  }

  int Run() override {
    for (const std::string& path : files_) {
      const AudioInfo info = ReadAudioInfo(path);
      char seconds[32];
      std::snprintf(seconds, sizeof(seconds), "%.3f", info.DurationSeconds());
      std::cout << path << '\t' << info.format << '\t' << info.sample_rate_hz << '\t'
                << info.num_channels << '\t' << info.num_frames << '\t' << seconds << '\n';
    }
    return 0;
  }

 private:
  std::vector<std::string> files_;
};

VERBATIM_REGISTER_COMMAND(AudioInfoCommand);

}  // namespace

}  // namespace verbatim
