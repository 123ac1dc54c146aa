// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Helpers for the tests: where the shared speech material and the golden
// files are, temporary folders, reading (gzipped) Kaldi archives, running
// commands, and comparing feature matrices.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "frontend/feature_matrix.h"

namespace verbatim {
namespace test {

// The ../shared folder, or "" when it is absent (VERBATIM_SHARED overrides).
std::string SharedDir();
// Prints a skip message (once per call site) and returns true when ../shared
// is absent, so a test can `if (SkipWithoutShared()) return;`.
bool SkipWithoutShared();
// tests/golden (committed reference data).
std::string GoldenDir();

// A fresh temporary folder, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The bytes of a file; REQUIREs that it opens.
std::string ReadFile(const std::string& path);

// Reads a Kaldi text archive, gunzipping it first when it ends in .gz.
std::map<std::string, FeatureMatrix> ReadArchive(const std::string& path);

// Runs a shell command; returns its exit status and fills `output` (stdout
// and stderr) when given.
int RunCommand(const std::string& command, std::string* output = nullptr);
bool HaveProgram(const std::string& name);
// A TCP port of the loopback interface that was free a moment ago.
int FreePort();

// Writes a mono 16-bit (or float when `subtype` is "float") WAV/FLAC/OGG file
// with libsndfile; `samples` in [-1, 1] per channel, interleaved.
void WriteAudio(const std::string& path, const std::vector<float>& interleaved, int sample_rate,
                int channels, const std::string& format = "wav16");

struct MatrixDiff {
  double mean_abs = 0.0;  // mean |a - b|
  double p999 = 0.0;      // 99.9th percentile of |a - b|
  double max_abs = 0.0;
};
// Compares two matrices of equal shape (REQUIREs equal shapes).
MatrixDiff CompareMatrices(const FeatureMatrix& a, const FeatureMatrix& b);

std::vector<float> Sine(double freq_hz, double rate_hz, int n, double amplitude = 0.5);

}  // namespace test
}  // namespace verbatim
