// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Helpers for the tests of LibTorch code: restoring the thread count, and
// comparing bf16 results with float32 references.
#pragma once

#include <torch/torch.h>

namespace verbatim {
namespace test {

// Restores LibTorch's intra-op thread count when a test changes it.
struct ThreadGuard {
  int saved = torch::get_num_threads();
  ~ThreadGuard() { torch::set_num_threads(saved); }
};

// Float32 leaves (requiring gradients) whose values are exactly representable
// in bf16, so that a float32 computation on them is the reference for a bf16
// one up to the rounding of its results.
inline torch::Tensor Bf16ExactLeaf(at::IntArrayRef sizes) {
  return torch::randn(sizes).to(torch::kBFloat16).to(torch::kFloat32).requires_grad_(true);
}

// max |got - want| relative to max |want| (got cast to float32 first).
inline double RelativeError(const torch::Tensor& got, const torch::Tensor& want) {
  return (got.to(torch::kFloat32) - want).abs().max().item<double>() /
         want.abs().max().item<double>();
}

}  // namespace test
}  // namespace verbatim
