// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Functions of libraries that LibTorch loads (the system BLAS, the OpenMP
// runtime), looked up by name at run time: the BLAS behind libblas.so.3 is
// chosen by Debian's alternatives (OpenBLAS, BLIS, the reference BLAS), so it
// cannot be linked against by name, and Verbatim need not link libgomp itself.
#pragma once

#include <dlfcn.h>

namespace verbatim {

// The function `name` as an Fn, or nullptr when no loaded library has it.
template <typename Fn>
Fn LoadedSymbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace verbatim
