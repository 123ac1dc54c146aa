// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/sentencepiece_backend.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr const char* kShimName = "libverbatim_sentencepiece.so";

std::string ExecutableDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.find_last_of('/'));
}

using Factory = SentencePieceBackend* (*)();

Factory LoadShim() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("VERBATIM_SENTENCEPIECE_SHIM")) candidates.push_back(env);
  const std::string exe_dir = ExecutableDir();
  candidates.push_back(exe_dir + "/" + kShimName);
  candidates.push_back(exe_dir + "/../lib/" + kShimName);
  candidates.push_back(VERBATIM_SENTENCEPIECE_SHIM_PATH);
  std::string errors;
  for (const std::string& path : candidates) {
    if (access(path.c_str(), R_OK) != 0) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (handle == nullptr) {
      errors += std::string("; ") + dlerror();
      continue;
    }
    auto factory = reinterpret_cast<Factory>(dlsym(handle, "VerbatimCreateSentencePieceBackend"));
    if (factory != nullptr) return factory;
    errors += "; " + path + ": no entry point";
  }
  throw Error(std::string("cannot load ") + kShimName + " (SentencePiece); looked next to " +
              exe_dir + ", in " + exe_dir + "/../lib and at " + VERBATIM_SENTENCEPIECE_SHIM_PATH +
              errors);
}

}  // namespace

std::unique_ptr<SentencePieceBackend> MakeSentencePieceBackend() {
  static std::once_flag once;
  static Factory factory = nullptr;
  static std::string error;
  std::call_once(once, [] {
    try {
      factory = LoadShim();
    } catch (const Error& e) {
      error = e.what();
    }
  });
  if (factory == nullptr) throw Error(error);
  return std::unique_ptr<SentencePieceBackend>(factory());
}

}  // namespace verbatim
