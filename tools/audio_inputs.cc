// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/audio_inputs.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "base/error.h"

namespace verbatim {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string KeyOfPath(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

std::vector<AudioInput> ExpandAudioInputs(const std::vector<std::string>& args) {
  std::vector<AudioInput> inputs;
  std::unordered_set<std::string> keys;
  auto add = [&](AudioInput in) {
    Check(keys.insert(in.key).second, in.source + ": utterance id '" + in.key + "' given twice");
    inputs.push_back(std::move(in));
  };
  for (const std::string& arg : args) {
    const bool scp_prefix = arg.rfind("scp:", 0) == 0;
    if (scp_prefix || EndsWith(arg, ".scp")) {
      const std::string path = scp_prefix ? arg.substr(4) : arg;
      for (ScpEntry& e : ReadScp(path)) add(AudioInput{e.key, e, path});
    } else {
      add(AudioInput{KeyOfPath(arg), ScpEntry{KeyOfPath(arg), arg, 0}, arg});
    }
  }
  return inputs;
}

Waveform LoadAudioInput(const AudioInput& input, const WavScpOptions& opts) {
  if (input.entry.line == 0) return ReadAudio(input.entry.value, opts.audio);
  return ReadWavScpEntry(input.entry, input.source, opts);
}

}  // namespace verbatim
