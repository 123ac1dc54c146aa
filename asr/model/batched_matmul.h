// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The batched matrix products of attention, without LibTorch's per-matrix
// overhead. Debian's LibTorch (no MKL) runs bmm/matmul on the CPU one matrix
// after another: each goes through the dispatcher (three select() views and
// two resolve_conj() calls) and then onto OpenBLAS's thread pool, which for
// 99 x 64 matrices costs more in hand-offs than it gains; and split heads
// (N, H, T, dk) views are copied to contiguous memory first, and the merged
// heads copied back. Here each matrix is one BLAS call that reads its
// operands in place through their strides, the matrices of a batch run in
// parallel on LibTorch's threads (OpenBLAS held to one thread meanwhile),
// and the result can be laid out so that merging heads is free.
#pragma once

#include <torch/torch.h>

namespace verbatim {

// alpha x (a @ b) for a (..., M, K) and b (..., K, N) with equal leading
// (batch) dimensions, differentiable in a and b. Float32 CPU tensors without
// autocast take the fast path; anything else (CUDA, bf16, broadcasting
// batch dimensions, autocast) is torch::matmul(a, b) x alpha.
//
// With `heads_last` and 4-D operands (N, H, M, K) x (N, H, K, N'), the
// result is an (N, H, M, N') view of a contiguous (N, M, H, N') tensor:
// result.transpose(1, 2) is then contiguous, which is how attention merges
// its heads. The gradients take the memory layout of a and b, so the
// gradient of a head-split view reaches the projection below without a copy.
torch::Tensor BatchedMatmul(const torch::Tensor& a, const torch::Tensor& b, double alpha = 1.0,
                            bool heads_last = false);

}  // namespace verbatim
