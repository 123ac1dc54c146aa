// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Inverted dropout, as torch::nn::Dropout (zero each element with probability
// p, scale the others by 1 / (1 - p); identity in eval mode), with a faster
// mask on the CPU. Debian's LibTorch (no MKL) draws Bernoulli masks one
// element at a time from a locked Mersenne Twister: 6 ns per element, 8% of a
// training step of the benchmark model (torch.autograd.profiler). Here the
// mask comes from SplitMix64 evaluated at each element's index, in parallel,
// seeded by one draw from LibTorch's default generator: reproducible under
// torch::manual_seed, saved and restored with the generator's state, and the
// same whatever the thread count. On other devices it is torch::dropout.
#pragma once

#include <torch/torch.h>

namespace verbatim {

// A tensor shaped, typed and placed like `like` (CPU), each element
// 1 / keep with probability `keep` and 0 otherwise. keep in (0, 1].
torch::Tensor DropoutMask(const torch::Tensor& like, double keep);

class DropoutImpl : public torch::nn::Module {
 public:
  // p: probability of zeroing an element, in [0, 1).
  explicit DropoutImpl(double p);
  // x: any shape; returns x in eval mode or when p is 0.
  torch::Tensor forward(const torch::Tensor& x);

 private:
  double p_;
};
TORCH_MODULE(Dropout);

}  // namespace verbatim
