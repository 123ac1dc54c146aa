// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi text archives of float matrices (what `copy-feats ark:- ark,t:-` prints):
//   utt-id  [
//     v v v
//     v v v ]
// One matrix per key; an empty matrix is written as `utt-id  [ ]`.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "frontend/feature_matrix.h"

namespace verbatim {

// Writes one entry. Values are printed with enough digits (%g, 7 significant)
// to round-trip Kaldi's own text output.
void WriteKaldiTextMatrix(std::ostream& out, const std::string& key, const FeatureMatrix& m);

// Reads entries one by one. `source` names the stream in error messages.
class KaldiTextArchiveReader {
 public:
  KaldiTextArchiveReader(std::istream& in, std::string source);
  // Reads the next entry; returns false at the end of the stream. Throws
  // Error("source: line N: ...") on malformed input.
  bool Next(std::string* key, FeatureMatrix* matrix);

 private:
  std::istream& in_;
  std::string source_;
  int line_ = 0;
};

// Reads a whole plain-text archive file.
std::vector<std::pair<std::string, FeatureMatrix>> ReadKaldiTextArchive(const std::string& path);

}  // namespace verbatim
