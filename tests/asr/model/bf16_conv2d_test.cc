// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// On a CPU with AMX (this project's machine), LibTorch's own bf16 conv2d on
// two threads is 40-70% off for the 144-channel shapes below (Debian's
// oneDNN 2.6); Bf16Conv2d must be within bf16 rounding of float32.
#include "asr/model/bf16_conv2d.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "tests/asr/torch_test_util.h"

namespace verbatim {
TEST_CASE("Bf16Conv2d equals the float32 convolution on two threads", "[bf16_conv2d]") {
  test::ThreadGuard threads;
  torch::set_num_threads(2);
  torch::manual_seed(7);
  struct Shape {
    int64_t n, c_in, t, f, c_out, stride;
  };
  for (const Shape& s : std::vector<Shape>{{16, 144, 74, 19, 144, 2},
                                           {1, 144, 31, 19, 144, 2},
                                           {3, 1, 63, 40, 64, 2},
                                           {5, 64, 40, 19, 64, 3}}) {
    CAPTURE(s.n, s.c_in, s.t, s.f, s.c_out, s.stride);
    const auto x = test::Bf16ExactLeaf({s.n, s.c_in, s.t, s.f}),
               w = test::Bf16ExactLeaf({s.c_out, s.c_in, 3, 3}), b = test::Bf16ExactLeaf({s.c_out});
    const auto weighting =
        torch::randn({s.n, s.c_out, (s.t - 3) / s.stride + 1, (s.f - 3) / s.stride + 1});
    const auto want = torch::conv2d(x, w, b, s.stride);
    (want * weighting).sum().backward();
    const std::vector<torch::Tensor> want_grads{x.grad().clone(), w.grad().clone(),
                                                b.grad().clone()};
    for (const auto* t : {&x, &w, &b}) t->mutable_grad() = torch::Tensor();
    const auto got = Bf16Conv2d(x, w, b, s.stride);
    CHECK(got.scalar_type() == torch::kBFloat16);
    CHECK(test::RelativeError(got, want.detach()) < 0.02);
    (got.to(torch::kFloat32) * weighting).sum().backward();
    CHECK(test::RelativeError(x.grad(), want_grads[0]) < 0.03);
    CHECK(test::RelativeError(w.grad(), want_grads[1]) < 0.03);
    CHECK(test::RelativeError(b.grad(), want_grads[2]) < 0.03);
  }
}

}  // namespace verbatim
