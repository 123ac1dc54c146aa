// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi "scp" tables (`key value` per line, the value being the rest of the
// line), and the audio behind a wav.scp entry: a file path, or a command
// ending in '|' whose standard output is the audio. Commands run only when
// the caller allows them: reading a data set must never run a command by
// surprise.
#pragma once

#include <string>
#include <vector>

#include "asr/data/kaldi_table.h"
#include "frontend/audio_reader.h"

namespace verbatim {

// Reads `path`; throws Error("path: line N: ...") on a malformed line
// (no value) and on duplicated keys.
std::vector<ScpEntry> ReadScp(const std::string& path);

bool IsPipeEntry(const std::string& value);

struct WavScpOptions {
  bool allow_pipes = false;  // run `cmd |` entries (off: refuse them with an error)
  AudioReadOptions audio;
};

// Reads the audio of one wav.scp entry. `scp_path` names the table in errors.
Waveform ReadWavScpEntry(const ScpEntry& entry, const std::string& scp_path,
                         const WavScpOptions& opts);

}  // namespace verbatim
