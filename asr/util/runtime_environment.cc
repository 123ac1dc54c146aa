// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/runtime_environment.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

#include "asr/util/openblas_core.h"

namespace verbatim {
namespace {

bool IsSet(const char* name) { return std::getenv(name) != nullptr; }

}  // namespace

void PrepareRuntimeEnvironment(char** argv) {
  if (IsSet("VERBATIM_KEEP_ENVIRONMENT")) return;
  bool changed = false;
  if (!IsSet("OMP_WAIT_POLICY") && !IsSet("GOMP_SPINCOUNT"))
    changed |= setenv("OMP_WAIT_POLICY", "PASSIVE", 1) == 0;
  if (!IsSet("OPENBLAS_CORETYPE")) {
    const std::string core = OpenBlasCoreToSet();
    if (!core.empty()) changed |= setenv("OPENBLAS_CORETYPE", core.c_str(), 1) == 0;
  }
  // The second run finds every variable set, so it never execs again.
  if (changed) execv("/proc/self/exe", argv);
}

std::string MemoryAllocatorDescription() {
  // Looked up by name: the binary runs with or without tcmalloc linked.
  using VersionFunction = const char* (*)(int*, int*, const char**);
  const auto version = reinterpret_cast<VersionFunction>(dlsym(RTLD_DEFAULT, "tc_version"));
  if (version == nullptr) return "glibc malloc";
  return std::string("tcmalloc (") + version(nullptr, nullptr, nullptr) + ")";
}

}  // namespace verbatim
