// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tests/test_util.h"

#include <netinet/in.h>
#include <sndfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/error.h"
#include "frontend/kaldi_text_archive.h"

namespace verbatim {
namespace test {

namespace {
bool IsDir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO("reading " << path);
  REQUIRE(in.good());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string SharedDir() {
  const char* env = std::getenv("VERBATIM_SHARED");
  std::string dir = env ? env : VERBATIM_SHARED_DIR;
  return IsDir(dir + "/speech") ? dir : "";
}

bool SkipWithoutShared() {
  if (!SharedDir().empty()) return false;
  WARN("SKIPPED: ../shared (speech material) not found; set VERBATIM_SHARED to its path");
  return true;
}

std::string GoldenDir() { return VERBATIM_GOLDEN_DIR; }

TempDir::TempDir() {
  std::string tmpl = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  tmpl += "/verbatim-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw Error("cannot create a temporary folder");
  path_ = buf.data();
}

TempDir::~TempDir() { RunCommand("rm -rf '" + path_ + "'"); }

std::map<std::string, FeatureMatrix> ReadArchive(const std::string& path) {
  std::string plain = path;
  TempDir tmp;
  if (path.size() > 3 && path.substr(path.size() - 3) == ".gz") {
    plain = tmp.File("archive.txt");
    if (RunCommand("gzip -dc '" + path + "' > '" + plain + "'") != 0)
      throw Error(path + ": cannot gunzip");
  }
  std::map<std::string, FeatureMatrix> result;
  for (auto& entry : ReadKaldiTextArchive(plain)) result[entry.first] = std::move(entry.second);
  return result;
}

int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(("{ " + command + "\n} 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buf{};
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
  const int status = pclose(pipe);
  if (output) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool HaveProgram(const std::string& name) {
  return RunCommand("command -v '" + name + "' >/dev/null") == 0;
}

void WriteAudio(const std::string& path, const std::vector<float>& interleaved, int sample_rate,
                int channels, const std::string& format) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  if (format == "wav16")
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  else if (format == "wav8")
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_U8;
  else if (format == "wav24")
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  else if (format == "wav32")
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_32;
  else if (format == "float")
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  else if (format == "flac")
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  else if (format == "ogg")
    info.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  else
    throw Error("WriteAudio: unknown format " + format);
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) throw Error(path + ": " + sf_strerror(nullptr));
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

MatrixDiff CompareMatrices(const FeatureMatrix& a, const FeatureMatrix& b) {
  REQUIRE(a.num_frames == b.num_frames);
  REQUIRE(a.dim == b.dim);
  MatrixDiff d;
  std::vector<double> diffs(a.data.size());
  for (size_t i = 0; i < a.data.size(); ++i) diffs[i] = std::fabs(double(a.data[i]) - b.data[i]);
  if (diffs.empty()) return d;
  for (double x : diffs) d.mean_abs += x;
  d.mean_abs /= diffs.size();
  std::sort(diffs.begin(), diffs.end());
  d.max_abs = diffs.back();
  d.p999 = diffs[std::min(diffs.size() - 1, static_cast<size_t>(0.999 * diffs.size()))];
  return d;
}

std::vector<float> Sine(double freq_hz, double rate_hz, int n, double amplitude) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = static_cast<float>(amplitude * std::sin(2 * M_PI * freq_hz * i / rate_hz));
  return x;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the system picks one
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace test
}  // namespace verbatim
