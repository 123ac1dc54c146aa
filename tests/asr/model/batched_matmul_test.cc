// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/batched_matmul.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/model/cpu_autocast.h"
#include "tests/asr/torch_test_util.h"

namespace verbatim {
namespace {

double MaxDifference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// Attention's operands: projections (N, T, H x dk) split into (N, H, T, dk)
// views, as asr/model/attention.cc makes them.
struct Heads {
  torch::Tensor q_proj, k_proj;  // (N, T, D) leaves
  torch::Tensor q, k;            // (N, H, T, dk) views
};

Heads MakeHeads(int64_t n, int64_t tq, int64_t tk, int64_t h, int64_t dk) {
  Heads x;
  x.q_proj = torch::randn({n, tq, h * dk}, torch::requires_grad());
  x.k_proj = torch::randn({n, tk, h * dk}, torch::requires_grad());
  x.q = x.q_proj.view({n, tq, h, dk}).transpose(1, 2);
  x.k = x.k_proj.view({n, tk, h, dk}).transpose(1, 2);
  return x;
}

}  // namespace

TEST_CASE("BatchedMatmul equals torch::matmul on strided operands", "[batched_matmul]") {
  torch::manual_seed(1);
  const Heads x = MakeHeads(3, 7, 5, 4, 6);
  const double alpha = 0.125;
  // q k' (b stored by columns), then (q k') k (a contiguous, b by rows).
  const auto scores = BatchedMatmul(x.q, x.k.transpose(-2, -1), alpha);
  CHECK(MaxDifference(scores, torch::matmul(x.q, x.k.transpose(-2, -1)) * alpha) < 1e-5);
  const auto context = BatchedMatmul(scores, x.k, 1.0, /*heads_last=*/true);
  CHECK(MaxDifference(context, torch::matmul(scores, x.k)) < 1e-5);
  CHECK(context.transpose(1, 2).is_contiguous());  // merging heads needs no copy
  CHECK_FALSE(BatchedMatmul(scores, x.k).transpose(1, 2).is_contiguous());
  // Operands BLAS cannot read in place (every other column) are copied first.
  const auto wide = torch::randn({2, 4, 6, 10});
  const auto right = torch::randn({2, 4, 5, 3});
  const auto sliced = wide.slice(-1, 0, 10, 2);
  CHECK(MaxDifference(BatchedMatmul(sliced, right), torch::matmul(sliced, right)) < 1e-5);
  // One matrix and 3-D operands (the loop without parallel matrices).
  const auto a3 = torch::randn({1, 33, 17}), b3 = torch::randn({1, 17, 9});
  CHECK(MaxDifference(BatchedMatmul(a3, b3), torch::matmul(a3, b3)) < 1e-5);
}

TEST_CASE("BatchedMatmul gradients equal torch::matmul's", "[batched_matmul]") {
  torch::manual_seed(2);
  const Heads x = MakeHeads(2, 9, 11, 4, 8);
  const Heads y = {x.q_proj.detach().clone().requires_grad_(true),
                   x.k_proj.detach().clone().requires_grad_(true),
                   {},
                   {}};
  const auto yq = y.q_proj.view({2, 9, 4, 8}).transpose(1, 2);
  const auto yk = y.k_proj.view({2, 11, 4, 8}).transpose(1, 2);
  const auto v = torch::randn({2, 4, 11, 8}, torch::requires_grad());
  const auto v_ref = v.detach().clone().requires_grad_(true);
  const auto upstream = torch::randn({2, 4, 9, 8});

  const auto p = torch::softmax(BatchedMatmul(x.q, x.k.transpose(-2, -1), 0.25), -1);
  (BatchedMatmul(p, v, 1.0, true) * upstream).sum().backward();
  const auto p_ref = torch::softmax(torch::matmul(yq, yk.transpose(-2, -1)) * 0.25, -1);
  (torch::matmul(p_ref, v_ref) * upstream).sum().backward();

  CHECK(MaxDifference(x.q_proj.grad(), y.q_proj.grad()) < 1e-5);
  CHECK(MaxDifference(x.k_proj.grad(), y.k_proj.grad()) < 1e-5);
  CHECK(MaxDifference(v.grad(), v_ref.grad()) < 1e-5);
  CHECK(x.q_proj.grad().abs().max().item<double>() > 1e-3);  // not trivially zero
}

TEST_CASE("BatchedMatmul gives the same result with 1 and 2 threads", "[batched_matmul]") {
  test::ThreadGuard guard;
  torch::manual_seed(3);
  const Heads x = MakeHeads(4, 20, 20, 4, 16);
  torch::set_num_threads(1);
  const auto one = BatchedMatmul(x.q, x.k.transpose(-2, -1));
  torch::set_num_threads(2);
  const auto two = BatchedMatmul(x.q, x.k.transpose(-2, -1));
  CHECK(MaxDifference(one, two) == 0.0);
}

TEST_CASE("BatchedMatmul falls back to torch::matmul where it does not apply", "[batched_matmul]") {
  torch::manual_seed(4);
  // float64, a broadcast batch dimension, and bf16 autocast.
  const auto a = torch::randn({2, 3, 4, 5}, torch::kFloat64),
             b = torch::randn({2, 3, 5, 6}, torch::kFloat64);
  CHECK(MaxDifference(BatchedMatmul(a, b, 0.5), torch::matmul(a, b) * 0.5) == 0.0);
  const auto af = torch::randn({2, 3, 4, 5}), bf = torch::randn({1, 3, 5, 6});
  CHECK(MaxDifference(BatchedMatmul(af, bf), torch::matmul(af, bf)) == 0.0);
  {
    CpuBf16Autocast autocast;
    CHECK(BatchedMatmul(af, bf.expand({2, 3, 5, 6})).scalar_type() == torch::kBFloat16);
  }
}

}  // namespace verbatim
