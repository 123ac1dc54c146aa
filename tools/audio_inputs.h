// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The audio a subcommand was given: audio files, and Kaldi wav.scp tables
// (`scp:FILE`, or any FILE ending in .scp), resolved to (key, waveform).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "asr/data/wav_scp.h"
#include "asr/util/parallel_for.h"

namespace verbatim {

struct AudioInput {
  std::string key;     // utterance id: the scp key, or the file name without extension
  ScpEntry entry;      // path or pipe command
  std::string source;  // the scp file, or the audio path itself
};

// Expands the arguments into inputs, in order. Keys must be unique.
std::vector<AudioInput> ExpandAudioInputs(const std::vector<std::string>& args);

Waveform LoadAudioInput(const AudioInput& input, const WavScpOptions& opts);

}  // namespace verbatim
