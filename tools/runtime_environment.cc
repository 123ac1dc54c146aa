// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace verbatim {

void EnsurePassiveOpenMpWaiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("GOMP_SPINCOUNT") != nullptr ||
      std::getenv("VERBATIM_KEEP_OMP_WAIT_POLICY") != nullptr)
    return;
  // Set before exec, so the new image's libgomp sees it; the variable also
  // marks the second run, which therefore never execs again.
  if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): keep running with the defaults already loaded.
}

}  // namespace verbatim
