// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Matrix products that keep Debian's oneDNN 2.6 off a bug of its AMX kernels.
//
// On CPUs with AMX, LibTorch 1.13 runs bf16 matrix products (linear layers,
// matmul/bmm, under CPU autocast or on bf16 tensors) through oneDNN's brgemm
// matmul. oneDNN 2.6 splits the reduction dimension K into blocks of 32
// rounded to even lengths; when K is odd the tail block can come out as long
// as a full block (K = 63 always; K = 31 mod 32 for long K), and then the
// tail kernel runs under the previous kernel's tile configuration: SIGILL
// (an invalid-opcode trap in JIT code, which killed bf16 training runs here
// after hundreds of steps) or, for other M/N, silently wrong values. With an
// even K the tail is always shorter than a block and the tiles are reloaded
// (verified on this machine over M, N in 1..160, K in 1..600).
//
// These functions pad with zeros so that every product of the forward and
// the backward pass has an even K, then slice the padding off: the values
// are those of torch::linear / torch::matmul. Anything not on the CPU, or
// neither bf16 nor under CPU autocast, goes straight to LibTorch.
#pragma once

#include <torch/torch.h>

namespace verbatim {

// True when a product of these CPU tensors would run in bf16 through oneDNN
// (a bf16 operand, or CPU autocast on with bf16).
bool OnOneDnnBf16Path(const torch::Tensor& a, const torch::Tensor& b);

// torch::linear(x, weight, bias): x (..., in), weight (out, in), bias (out)
// or undefined -> (..., out). When gradients are recorded, the rows of x
// (the product of its leading dimensions) and `out` are made even too: they
// are K of the weight and input gradients.
torch::Tensor AmxSafeLinear(const torch::Tensor& x, const torch::Tensor& weight,
                            const torch::Tensor& bias);

// torch::matmul(a, b) for a (..., M, K), b (..., K, N) with at least two
// dimensions each. When gradients are recorded, M and N are made even too
// (K of the gradient products).
torch::Tensor AmxSafeMatmul(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace verbatim
