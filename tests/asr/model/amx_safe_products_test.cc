// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// On a CPU with AMX (this project's machine), the shapes below crash or give
// wrong values in Debian's oneDNN 2.6 without the padding (K = 63 with
// M < 32 and N = 16 mod 32: SIGILL; M = 33..47: wrong values): these tests
// then fail. Elsewhere they check the values and gradients all the same.
#include "asr/model/amx_safe_products.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/model/cpu_autocast.h"
#include "tests/asr/torch_test_util.h"

namespace verbatim {
namespace {

struct Gradients {
  torch::Tensor out;
  std::vector<torch::Tensor> grads;
};

// Runs f on the leaves, back-propagates a fixed random weighting of the
// output and collects the output and the leaves' gradients.
template <typename F>
Gradients Run(std::vector<torch::Tensor> leaves, F f, const torch::Tensor& weighting) {
  for (auto& t : leaves) t.mutable_grad() = torch::Tensor();
  Gradients g;
  g.out = f();
  (g.out.to(torch::kFloat32) * weighting).sum().backward();
  for (auto& t : leaves) g.grads.push_back(t.grad().clone());
  return g;
}

void CheckClose(const Gradients& got, const Gradients& want) {
  CHECK(test::RelativeError(got.out, want.out) < 0.02);
  REQUIRE(got.grads.size() == want.grads.size());
  for (size_t i = 0; i < got.grads.size(); ++i)
    CHECK(test::RelativeError(got.grads[i], want.grads[i]) < 0.03);
}

}  // namespace

TEST_CASE("AmxSafeMatmul under bf16 autocast equals the float32 product", "[amx_safe]") {
  torch::manual_seed(3);
  // (M, K, N): K = 63 crashed (M < 32) or gave wrong values (M = 33) in
  // oneDNN 2.6 on AMX; odd M and N are the K of the gradient products.
  for (const auto& [m, k, n] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
           {8, 63, 80}, {17, 63, 144}, {33, 63, 80}, {63, 36, 63}, {16, 64, 64}}) {
    CAPTURE(m, k, n);
    const auto a = test::Bf16ExactLeaf({4, m, k}), b = test::Bf16ExactLeaf({4, k, n});
    const auto weighting = torch::randn({4, m, n});
    const Gradients want = Run(
        {a, b}, [&] { return torch::matmul(a, b); }, weighting);
    const Gradients got = Run(
        {a, b},
        [&] {
          CpuBf16Autocast autocast;
          return AmxSafeMatmul(a, b);
        },
        weighting);
    CHECK(got.out.scalar_type() == torch::kBFloat16);
    CheckClose(got, want);
  }
}

TEST_CASE("AmxSafeLinear under bf16 autocast equals the float32 layer", "[amx_safe]") {
  torch::manual_seed(4);
  // x (N, T, in): 7 x 9 = 63 rows (K of the weight gradient); odd in and out.
  for (const auto& [in, out] :
       std::vector<std::pair<int64_t, int64_t>>{{36, 80}, {36, 144}, {63, 81}, {64, 64}}) {
    CAPTURE(in, out);
    const auto x = test::Bf16ExactLeaf({7, 9, in}), w = test::Bf16ExactLeaf({out, in}),
               bias = test::Bf16ExactLeaf({out});
    const auto weighting = torch::randn({7, 9, out});
    const Gradients want = Run(
        {x, w, bias}, [&] { return torch::linear(x, w, bias); }, weighting);
    const Gradients got = Run(
        {x, w, bias},
        [&] {
          CpuBf16Autocast autocast;
          return AmxSafeLinear(x, w, bias);
        },
        weighting);
    CHECK(got.out.sizes() == want.out.sizes());
    CheckClose(got, want);
  }
  // Without a bias and without gradients (inference): only K = in is padded.
  torch::NoGradGuard no_grad;
  const auto x = test::Bf16ExactLeaf({63, 63}), w = test::Bf16ExactLeaf({80, 63});
  CpuBf16Autocast autocast;
  CHECK(test::RelativeError(AmxSafeLinear(x, w, torch::Tensor()), torch::linear(x, w).detach()) <
        0.02);
}

TEST_CASE("AmxSafeLinear and AmxSafeMatmul are LibTorch's ops off the bf16 path", "[amx_safe]") {
  torch::manual_seed(5);
  const auto x = torch::randn({63, 63}), w = torch::randn({81, 63}), b = torch::randn({81});
  CHECK_FALSE(OnOneDnnBf16Path(x, w));
  CHECK(torch::equal(AmxSafeLinear(x, w, b), torch::linear(x, w, b)));
  CHECK(torch::equal(AmxSafeMatmul(x, w.t()), torch::matmul(x, w.t())));
  CHECK(OnOneDnnBf16Path(x.to(torch::kBFloat16), w));
  CpuBf16Autocast autocast;
  CHECK(OnOneDnnBf16Path(x, w));
}

}  // namespace verbatim
