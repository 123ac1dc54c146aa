// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/wav_scp.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <unordered_set>

#include "frontend/error.h"

namespace verbatim {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

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

std::vector<ScpEntry> ReadScp(const std::string& path) {
  std::ifstream in(path);
  Check(static_cast<bool>(in), path + ": cannot open");
  std::vector<ScpEntry> entries;
  std::unordered_set<std::string> seen;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string trimmed = Trim(line);
    if (trimmed.empty()) continue;
    const size_t split = trimmed.find_first_of(" \t");
    const std::string where = path + ": line " + std::to_string(number);
    Check(split != std::string::npos, where + ": expected 'key value', got '" + trimmed + "'");
    ScpEntry entry{trimmed.substr(0, split), Trim(trimmed.substr(split)), number};
    Check(seen.insert(entry.key).second, where + ": duplicated key '" + entry.key + "'");
    entries.push_back(std::move(entry));
  }
  return entries;
}

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
