// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A bf16 2-D convolution for the CPU that avoids a bug of Debian's oneDNN 2.6.
//
// On CPUs with AMX, oneDNN 2.6 computes bf16 convolutions with tiles; with
// two or more threads its forward pass gives wrong values for some shapes
// (measured here: 144 channels over 40 mel bins, up to 70% of the output's
// range off), while one thread is right and so are the backward passes.
// Bf16Conv2d runs the forward pass as one single-threaded convolution per
// slice of the batch, the slices in parallel, and the backward pass as
// LibTorch's (all threads). Activations and weights are channels-last, the
// layout oneDNN computes in: in LibTorch's default layout the backward pass
// copies the input gradient back (LibTorch 1.13's bf16 copies are slow).
#pragma once

#include <torch/torch.h>

namespace verbatim {

// conv2d(x, weight, bias, stride), no padding, in bf16: x (N, C_in, H, W),
// weight (C_out, C_in, kH, kW), bias (C_out) or undefined; any float types
// (cast to bf16) -> (N, C_out, H', W') bf16 in channels-last memory. CPU
// tensors; differentiable in x, weight and bias.
torch::Tensor Bf16Conv2d(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, int64_t stride);

}  // namespace verbatim
