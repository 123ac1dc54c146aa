// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/kaldi_text_archive.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/error.h"

namespace verbatim {

void WriteKaldiTextMatrix(std::ostream& out, const std::string& key, const FeatureMatrix& m) {
  out << key << "  [";
  if (m.num_frames == 0) {
    out << " ]\n";
    return;
  }
  char buf[32];
  for (int r = 0; r < m.num_frames; ++r) {
    out << "\n ";
    const float* row = m.Row(r);
    for (int c = 0; c < m.dim; ++c) {
      std::snprintf(buf, sizeof(buf), " %.7g", row[c]);
      out << buf;
    }
  }
  out << " ]\n";
}

KaldiTextArchiveReader::KaldiTextArchiveReader(std::istream& in, std::string source)
    : in_(in), source_(std::move(source)) {}

bool KaldiTextArchiveReader::Next(std::string* key, FeatureMatrix* matrix) {
  std::string line;
  // Header line: "key  [" (possibly followed by values or "]").
  do {
    if (!std::getline(in_, line)) return false;
    ++line_;
  } while (line.find_first_not_of(" \t\r") == std::string::npos);
  auto fail = [&](const std::string& what) {
    throw Error(source_ + ": line " + std::to_string(line_) + ": " + what);
  };
  std::istringstream header(line);
  std::string bracket;
  if (!(header >> *key >> bracket) || bracket != "[") fail("expected 'key  [', got '" + line + "'");
  *matrix = FeatureMatrix();
  std::string rest;
  std::getline(header, rest);
  bool closed = false;
  auto parse_row = [&](const std::string& text) {
    std::istringstream row(text);
    std::vector<float> values;
    std::string token;
    while (row >> token) {
      if (token == "]") {
        closed = true;
        break;
      }
      char* end = nullptr;
      const float v = std::strtof(token.c_str(), &end);
      if (end == token.c_str() || *end != '\0') fail("not a number: '" + token + "'");
      values.push_back(v);
    }
    if (values.empty()) return;
    if (matrix->num_frames == 0) matrix->dim = static_cast<int>(values.size());
    if (static_cast<int>(values.size()) != matrix->dim)
      fail("row has " + std::to_string(values.size()) + " values, expected " +
           std::to_string(matrix->dim));
    matrix->data.insert(matrix->data.end(), values.begin(), values.end());
    ++matrix->num_frames;
  };
  parse_row(rest);
  while (!closed) {
    if (!std::getline(in_, line)) fail("unexpected end of file inside matrix '" + *key + "'");
    ++line_;
    parse_row(line);
  }
  return true;
}

std::vector<std::pair<std::string, FeatureMatrix>> ReadKaldiTextArchive(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open");
  KaldiTextArchiveReader reader(in, path);
  std::vector<std::pair<std::string, FeatureMatrix>> entries;
  std::string key;
  FeatureMatrix m;
  while (reader.Next(&key, &m)) entries.emplace_back(key, std::move(m));
  return entries;
}

}  // namespace verbatim
