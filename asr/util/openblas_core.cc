// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/openblas_core.h"

#include "asr/util/loaded_symbol.h"

namespace verbatim {

std::string OpenBlasCore() {
  const auto corename = LoadedSymbol<char* (*)()>("openblas_get_corename");
  return corename != nullptr ? corename() : "";
}

std::string OpenBlasCoreToSet() {
  if (OpenBlasCore() != "Prescott") return "";
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  if (__builtin_cpu_supports("avx")) return "Sandybridge";
#endif
  return "";
}

}  // namespace verbatim
