// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Output that never replaces a good file with a half-written one: data goes
// to "<path>.tmp.<pid>", and only Commit() (after a successful flush and
// fsync) renames it over `path`. An uncommitted file is removed on
// destruction. The path "-" means standard output (written directly).
#pragma once

#include <fstream>
#include <ostream>
#include <string>

namespace verbatim {

class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(const std::string& path);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  std::ostream& stream();
  // Flushes, syncs and renames; throws Error("path: ...") if any step fails.
  void Commit();

 private:
  std::string path_;
  std::string tmp_path_;
  std::ofstream file_;
  bool committed_ = false;
};

}  // namespace verbatim
