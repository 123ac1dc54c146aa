// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// INT8 linear layers: Dense is torch::nn::Linear in float32 (names,
// initialization, outputs), and its INT8 mode agrees with float32 within the
// error the rounding of both operands can cause, exactly where the operands
// are already on the quantization grid.
#include <torch/torch.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "asr/model/dense.h"
#include "asr/model/int8_linear.h"
#include "base/error.h"

namespace verbatim {
namespace {

Int8Options AllInt8() {
  Int8Options o;
  o.min_macs = 0;
  o.min_rows = 0;
  return o;
}

// The input's quantization step of Int8Linear: its range [-R, R] (-R
// replaced by 0 for x >= 0), R the power of two at or above max |x|, in
// `levels` steps.
double ActivationStep(const torch::Tensor& x, int levels) {
  const double low = x.min().item<double>(), high = x.max().item<double>();
  const double r = std::exp2(std::ceil(std::log2(std::max(std::fabs(low), std::fabs(high)))));
  return ((high > 0 ? r : 0.0) - (low < 0 ? -r : 0.0)) / levels;
}

// Worst-case |INT8 - exact| per output of x (..., in) times w (out, in):
// every input is off by at most half the activation step sx, every weight
// by half its row's step s_j, so |dy_j| <= sum_i |w_ji| sx / 2 + |x_i| s_j /
// 2 + sx s_j / 4, plus float32 rounding of the products and sums.
torch::Tensor ErrorBound(const torch::Tensor& x, const torch::Tensor& w,
                         const torch::Tensor& w_steps, int levels) {
  const auto xd = x.to(torch::kDouble), wd = w.to(torch::kDouble);
  const double sx = ActivationStep(xd, levels);
  const auto abs_x = xd.abs(), abs_w = wd.abs();
  const int64_t in = w.size(1);
  return torch::matmul(abs_x, abs_w.t()) * 1e-5 +  // float32 rounding
         abs_w.sum(1) * (sx / 2) + abs_x.sum(-1, true) * (w_steps / 2) + w_steps * (in * sx / 4) +
         1e-6;
}

TEST_CASE("Dense is torch::nn::Linear: names, initialization, outputs", "[int8]") {
  torch::manual_seed(11);
  torch::nn::Linear linear(24, 40);
  torch::manual_seed(11);
  Dense dense(24, 40);
  const auto a = linear->named_parameters(), b = dense->named_parameters();
  REQUIRE(a.keys() == b.keys());
  for (const auto& key : a.keys()) {
    INFO(key);
    CHECK(torch::equal(a[key], b[key]));
  }
  const auto x = torch::randn({3, 5, 24});
  CHECK(torch::equal(linear->forward(x), dense->forward(x)));
  // Gradients flow in float32 mode.
  dense->forward(x).sum().backward();
  REQUIRE(dense->weight.grad().defined());
  CHECK(dense->weight.grad().abs().sum().item<float>() > 0.0f);
}

TEST_CASE("INT8 linear stays within the rounding bound of float32", "[int8]") {
  torch::manual_seed(5);
  // Rows of very different scales, one all-zero row; inputs off-centre so
  // the activation range is asymmetric.
  auto w = torch::randn({48, 64}) * torch::logspace(-3, 0, 48).unsqueeze(1);
  w[7].zero_();
  const auto b = torch::randn({48});
  const auto x = torch::randn({2, 9, 64}) * 1.5 + 0.7;
  const Int8Linear q(w, b, AllInt8());
  REQUIRE(q.defined());
  const auto got = q.forward(x);
  REQUIRE(got.sizes() == torch::IntArrayRef({2, 9, 48}));
  CHECK(got.dtype() == torch::kFloat32);
  const auto exact =
      torch::linear(x.to(torch::kDouble), w.to(torch::kDouble), b.to(torch::kDouble));
  const auto err = (got.to(torch::kDouble) - exact).abs();
  const auto bound = ErrorBound(x, w, q.weight_steps(), q.activation_steps());
  CHECK((err <= bound).all().item<bool>());
  INFO("largest error / bound " << (err / bound).max().item<double>());
  // Really 8-bit: the error is not that of float32.
  CHECK(err.max().item<double>() > 1e-4);
  // The zero row gives its bias.
  CHECK(torch::allclose(got.select(-1, 7), b[7].expand({2, 9}), 0.0, 1e-6));
  // 2-D input, bf16 input, empty input.
  const auto x2 = x.reshape({18, 64});
  CHECK(torch::allclose(q.forward(x2), got.reshape({18, 48}), 0.0, 1e-6));
  CHECK(q.forward(x.to(torch::kBFloat16)).dtype() == torch::kFloat32);
  CHECK(q.forward(torch::zeros({0, 64})).sizes() == torch::IntArrayRef({0, 48}));
  CHECK_THROWS_AS(q.forward(torch::zeros({3, 63})), Error);
}

TEST_CASE("INT8 linear leaves small products in float32", "[int8]") {
  torch::manual_seed(6);
  const auto w = torch::randn({30, 20}), b = torch::randn({30});
  Int8Options opts;
  opts.min_macs = 5 * 20 * 30;  // 5 rows and more in INT8
  opts.min_rows = 1;
  const Int8Linear q(w, b, opts);
  const auto small = torch::randn({4, 20}), large = torch::randn({5, 20});
  CHECK(torch::equal(q.forward(small), torch::linear(small, w, b)));
  const auto err = (q.forward(large) - torch::linear(large, w, b)).abs().to(torch::kDouble);
  CHECK(err.max().item<double>() > 1e-4);
  CHECK((err <= ErrorBound(large, w, q.weight_steps(), q.activation_steps())).all().item<bool>());
}

TEST_CASE("INT8 linear is exact for operands on the quantization grid", "[int8]") {
  torch::manual_seed(9);
  const int64_t out = 16, in = 40;
  // Weights: integers in [-127, 127] (each row reaching 127) times the
  // row's step, so quantizing them changes nothing.
  const auto steps = torch::linspace(0.001, 0.05, out, torch::kDouble).unsqueeze(1);
  auto m = torch::randint(-127, 128, {out, in}, torch::kDouble);
  m.select(1, 0).fill_(127);
  const auto w = (m * steps).to(torch::kFloat32);
  const Int8Linear q(w, torch::Tensor(), AllInt8());
  // Inputs: integers 0..levels times 4 / levels, with both ends present:
  // the quantization range is [0, 4] and they too quantize exactly.
  const int levels = q.activation_steps();
  auto k = torch::randint(0, levels + 1, {6, in}, torch::kDouble);
  k[0][0] = 0;
  k[0][1] = levels;
  const auto x = (k * (4.0 / levels)).to(torch::kFloat32);
  const auto exact = torch::matmul(x.to(torch::kDouble), w.to(torch::kDouble).t());
  const auto got = q.forward(x).to(torch::kDouble);
  CHECK(torch::allclose(got, exact, 1e-5, 1e-5));
}

TEST_CASE("Dense switches to INT8 without changing its parameters", "[int8]") {
  torch::manual_seed(2);
  Dense dense(32, 20);
  const auto weight = dense->weight.clone(), bias = dense->bias.clone();
  const auto x = torch::randn({4, 32});
  const auto fp32 = dense->forward(x).detach();
  dense->eval();
  dense->QuantizeInt8(AllInt8());
  CHECK(dense->int8());
  CHECK(torch::equal(dense->weight, weight));
  CHECK(torch::equal(dense->bias, bias));
  CHECK(dense->named_parameters().size() == 2);
  torch::NoGradGuard no_grad;
  const auto int8 = dense->forward(x);
  const Int8Linear q(weight, bias, AllInt8());
  const auto err = (int8 - fp32).abs().to(torch::kDouble);
  CHECK((err <= ErrorBound(x, weight, q.weight_steps(), q.activation_steps())).all().item<bool>());
  CHECK(!torch::equal(int8, fp32));
  dense->train();
  CHECK_THROWS_AS(dense->forward(x), Error);
}

}  // namespace
}  // namespace verbatim
