// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Helpers shared by the libFuzzer targets: a scratch directory of the process
// (the readers under test take paths), and splitting one input into several
// files. Header-only: each fuzzer is one translation unit plus the libraries.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace verbatim {
namespace fuzz {

// A directory of this process under $TMPDIR (or /tmp), removed at exit.
inline const std::string& ScratchDir() {
  // Never destroyed: the exit handler below still needs it.
  static const std::string* const dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* path = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/verbatim_fuzz.XXXXXX");
    if (mkdtemp(path->data()) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(ScratchDir()); });
    return path;
  }();
  return *dir;
}

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();  // the scratch directory must be writable
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Splits the input at every `separator` byte: section i becomes file i of a
// multi-file target (a missing section is a missing file).
inline std::vector<std::string> SplitSections(const uint8_t* data, size_t size, char separator) {
  std::vector<std::string> sections(1);
  for (size_t i = 0; i < size; ++i) {
    if (static_cast<char>(data[i]) == separator)
      sections.emplace_back();
    else
      sections.back().push_back(static_cast<char>(data[i]));
  }
  return sections;
}

}  // namespace fuzz
}  // namespace verbatim
