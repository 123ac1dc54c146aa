// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/wav_scp.h"

#include <sys/wait.h>

#include <cstdio>

#include "base/error.h"

namespace verbatim {

namespace {

std::vector<unsigned char> RunPipe(const std::string& command, const std::string& where) {
  FILE* pipe = popen(command.c_str(), "r");
  Check(pipe != nullptr, where + ": cannot run '" + command + "'");
  std::vector<unsigned char> bytes;
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  const int status = pclose(pipe);
  Check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        where + ": command failed: '" + command + "'");
  return bytes;
}

}  // namespace

std::vector<ScpEntry> ReadScp(const std::string& path) { return ReadKaldiTable(path, false); }

bool IsPipeEntry(const std::string& value) { return !value.empty() && value.back() == '|'; }

Waveform ReadWavScpEntry(const ScpEntry& entry, const std::string& scp_path,
                         const WavScpOptions& opts) {
  const std::string where =
      scp_path + ": line " + std::to_string(entry.line) + " (" + entry.key + ")";
  if (!IsPipeEntry(entry.value)) {
    try {
      return ReadAudio(entry.value, opts.audio);
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
  Check(opts.allow_pipes, where + ": refusing to run the command '" + entry.value +
                              "' (pipe entries run only with --allow-pipes)");
  const std::string command = Trim(entry.value.substr(0, entry.value.size() - 1));
  const std::vector<unsigned char> bytes = RunPipe(command, where);
  return DecodeAudio(bytes.data(), bytes.size(), where + ": output of '" + command + "'",
                     opts.audio);
}

}  // namespace verbatim
