// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Settings that libraries read from the environment when they are loaded,
// before main() runs (LibTorch links them), so the binary can only choose
// them by setting the variables and executing itself again:
// - OMP_WAIT_POLICY=PASSIVE: OpenMP threads that spin while waiting for work
//   cost 1.4x to 4x in speed on small machines (measured on 2 cores: LibTorch
//   training at 20x real time with libgomp's default spinning, 28x with
//   passive waiting, and up to 4x slower when another process competes).
// - OPENBLAS_CORETYPE, only when OpenBLAS fell back to its generic kernels on
//   a CPU it does not know (asr/util/openblas_core.h): 4x faster matrix
//   products where that happens.
// oneDNN is left to use AMX where the CPU has it (bf16 training): the two
// bugs of Debian's oneDNN 2.6 with AMX that crashed or corrupted bf16
// training are avoided in the model (asr/model/amx_safe_products.h,
// asr/model/conv2d_subsampling.cc).
#pragma once

#include <string>

namespace verbatim {

// Sets each variable above that the user has not set (OMP_WAIT_POLICY counts
// as set when GOMP_SPINCOUNT is) and that is needed, and, if it set any, re-executes the running
// binary with the same arguments (does not return then). A user's own
// setting always wins; VERBATIM_KEEP_ENVIRONMENT=1 disables all of this. If
// exec fails the process continues with the libraries' defaults.
void PrepareRuntimeEnvironment(char** argv);

// The process's malloc: "tcmalloc (gperftools 2.10)" when the binary was
// linked with tcmalloc (VERBATIM_TCMALLOC), else "glibc malloc".
std::string MemoryAllocatorDescription();

}  // namespace verbatim
