// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/image_output.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"

extern char** environ;

namespace verbatim {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Runs argv[0] (looked up in PATH) without a shell; returns its exit status
// (-1 when it could not be started).
int Run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

void SaveImage(const SvgDocument& doc, const std::string& path) {
  if (EndsWith(path, ".svg")) {
    doc.Save(path);
    return;
  }
  Check(EndsWith(path, ".png"), path + ": unknown image type (name it .svg or .png)");
  const std::string svg = path + ".tmp-" + std::to_string(getpid()) + ".svg";
  const std::string png = path + ".tmp-" + std::to_string(getpid()) + ".png";
  doc.Save(svg);
  const int status = Run({"rsvg-convert", "--format=png", "--output=" + png, svg});
  std::filesystem::remove(svg);
  if (status != 0) {
    std::filesystem::remove(png);
    throw Error(path + (status < 0 ? ": PNG needs rsvg-convert (apt-get install librsvg2-bin); "
                                     "or write .svg"
                                   : ": rsvg-convert failed"));
  }
  std::filesystem::rename(png, path);
}

}  // namespace verbatim
