// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "base/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/error.h"

namespace verbatim {

AtomicOutputFile::AtomicOutputFile(const std::string& path) : path_(path) {
  if (path_ == "-") return;
  tmp_path_ = path_ + ".tmp." + std::to_string(getpid());
  file_.open(tmp_path_, std::ios::out | std::ios::trunc | std::ios::binary);
  Check(file_.is_open(), path_ + ": cannot open for writing");
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_ && !tmp_path_.empty()) {
    file_.close();
    std::remove(tmp_path_.c_str());
  }
}

std::ostream& AtomicOutputFile::stream() { return path_ == "-" ? std::cout : file_; }

void AtomicOutputFile::Commit() {
  if (committed_) return;
  if (path_ == "-") {
    std::cout.flush();
    Check(static_cast<bool>(std::cout), "standard output: write failed");
    committed_ = true;
    return;
  }
  file_.flush();
  Check(static_cast<bool>(file_), path_ + ": write failed (disk full?)");
  file_.close();
  // fsync so that a crash after the rename cannot leave an empty file behind.
  const int fd = ::open(tmp_path_.c_str(), O_RDONLY);
  Check(fd >= 0 && ::fsync(fd) == 0, path_ + ": cannot sync the written data");
  ::close(fd);
  Check(std::rename(tmp_path_.c_str(), path_.c_str()) == 0,
        path_ + ": cannot rename the temporary file into place");
  committed_ = true;
}

}  // namespace verbatim
