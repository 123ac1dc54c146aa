// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Which kernels OpenBLAS runs. A DYNAMIC_ARCH OpenBLAS (Debian's) picks its
// kernels by the CPU models it knows when it is loaded; on a CPU newer than
// its release it falls back to its oldest x86-64 kernels, "Prescott" (SSE3).
// Debian 12's OpenBLAS 0.3.21 does that on Intel's family 6 model 207
// (Emerald Rapids): its float32 1024 x 1024 product ran at 32.5 GFLOP/s
// there, against 138.6 GFLOP/s with its SkylakeX kernels, which the CPU
// runs (AVX-512), and the mini recipe's training at a third of its speed.
// OPENBLAS_CORETYPE chooses the kernels, but only when it is set before
// OpenBLAS is loaded (asr/util/runtime_environment.h sets it).
#pragma once

#include <string>

namespace verbatim {

// The kernels the loaded OpenBLAS uses ("SkylakeX", "Haswell", "Prescott",
// ...), or "" when the BLAS is not OpenBLAS.
std::string OpenBlasCore();

// The OPENBLAS_CORETYPE that this CPU should have when the loaded OpenBLAS
// fell back to its generic "Prescott" kernels: the newest kernels of
// OpenBLAS's that the CPU's instructions run (SkylakeX with AVX-512 F, CD,
// BW, DQ and VL; Haswell with AVX2 and FMA; Sandybridge with AVX). "" when
// OpenBLAS chose other kernels itself, when the BLAS is not OpenBLAS, or when
// the CPU has none of these.
std::string OpenBlasCoreToSet();

}  // namespace verbatim
