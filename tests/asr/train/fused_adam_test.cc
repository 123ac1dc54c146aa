// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/fused_adam.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <limits>
#include <sstream>

#include "tests/asr/torch_test_util.h"

namespace verbatim {
namespace {

// Parameters of awkward sizes: a scalar, rows not a multiple of the vector
// width, and one larger than a parallel chunk (2^15 elements).
std::vector<torch::Tensor> MakeParameters(torch::Dtype dtype = torch::kFloat32) {
  torch::manual_seed(3);
  std::vector<torch::Tensor> ps = {torch::randn({1}), torch::randn({7, 13}), torch::randn({70001}),
                                   torch::randn({256, 33})};
  for (auto& p : ps) p = p.to(dtype).requires_grad_(true);
  return ps;
}

std::vector<torch::Tensor> Clone(const std::vector<torch::Tensor>& ps) {
  std::vector<torch::Tensor> out;
  for (const auto& p : ps) out.push_back(p.detach().clone().requires_grad_(true));
  return out;
}

// Gives both sets the same random gradients (times `scale_b` for `b`).
void SetGradients(std::vector<torch::Tensor>& a, std::vector<torch::Tensor>& b, int step,
                  double scale_b = 1.0) {
  torch::manual_seed(100 + step);
  for (size_t i = 0; i < a.size(); ++i) {
    const auto g = torch::randn(a[i].sizes()).to(a[i].scalar_type()) * double(i + 1);
    a[i].mutable_grad() = g.clone();
    b[i].mutable_grad() = g * scale_b;
  }
}

double MaxDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
  return worst;
}

template <class Fused, class Reference, class Options>
void CheckAgainstLibTorch(const Options& options, double grad_scale, torch::Dtype dtype) {
  auto fused_params = MakeParameters(dtype);
  auto reference_params = Clone(fused_params);
  Fused fused(fused_params, options);
  Reference reference(reference_params, options);
  for (int step = 0; step < 6; ++step) {
    SetGradients(fused_params, reference_params, step, grad_scale);
    const double lr = 1e-2 / (step + 1);  // a schedule changes lr between steps
    for (auto& g : fused.param_groups()) g.options().set_lr(lr);
    for (auto& g : reference.param_groups()) g.options().set_lr(lr);
    fused.ScaleNextGradients(grad_scale);
    fused.step();
    reference.step();
  }
  // The parameters moved by about 6 x 1e-2; float rounding differs in the
  // last bits only (the reference makes seven roundings per element, the
  // fused loop may contract some of them into fused multiply-adds).
  CHECK(MaxDifference(fused_params, MakeParameters(dtype)) > 1e-2);
  CHECK(MaxDifference(fused_params, reference_params) < 2e-6);
}

}  // namespace

TEST_CASE("FusedAdam updates parameters as torch::optim::Adam does", "[fused_adam]") {
  const double decay = GENERATE(0.0, 0.05);
  const double scale = GENERATE(1.0, 0.25);
  INFO("weight decay " << decay << ", gradient scale " << scale);
  const auto options =
      torch::optim::AdamOptions(1e-2).betas({0.9, 0.98}).eps(1e-9).weight_decay(decay);
  CheckAgainstLibTorch<FusedAdam, torch::optim::Adam>(options, scale, torch::kFloat32);
}

TEST_CASE("FusedAdamW updates parameters as torch::optim::AdamW does", "[fused_adam]") {
  const double decay = GENERATE(0.0, 0.05);
  const double scale = GENERATE(1.0, 0.25);
  INFO("weight decay " << decay << ", gradient scale " << scale);
  // A large eps, so that a mistake in its place would show.
  const auto options =
      torch::optim::AdamWOptions(1e-2).betas({0.9, 0.98}).eps(0.1).weight_decay(decay);
  CheckAgainstLibTorch<FusedAdamW, torch::optim::AdamW>(options, scale, torch::kFloat32);
}

TEST_CASE("FusedAdam takes LibTorch's step, scaled, for parameters it does not fuse",
          "[fused_adam]") {
  // float64 parameters are not fused: the fallback must still apply the
  // gradient scale, and agree with the reference to float64 precision.
  const auto options = torch::optim::AdamOptions(1e-2).weight_decay(0.01);
  CheckAgainstLibTorch<FusedAdam, torch::optim::Adam>(options, 0.5, torch::kFloat64);
  const auto amsgrad = torch::optim::AdamWOptions(1e-2).amsgrad(true);
  CheckAgainstLibTorch<FusedAdamW, torch::optim::AdamW>(amsgrad, 0.5, torch::kFloat32);
}

TEST_CASE("FusedAdam's state is torch::optim::Adam's: checkpoints load either way",
          "[fused_adam]") {
  const auto options = torch::optim::AdamOptions(1e-2).betas({0.9, 0.98});
  auto a = MakeParameters();
  auto b = Clone(a);
  FusedAdam fused(a, options);
  torch::optim::Adam plain(b, options);
  for (int step = 0; step < 3; ++step) {
    SetGradients(a, b, step);
    fused.step();
    plain.step();
  }
  // Swap the optimizers' states through their serialized form, then go on.
  std::stringstream fused_bytes, plain_bytes;
  torch::save(fused, fused_bytes);
  torch::save(plain, plain_bytes);
  FusedAdam fused_resumed(b, options);           // continues the plain run
  torch::optim::Adam plain_resumed(a, options);  // continues the fused run
  torch::load(fused_resumed, plain_bytes);
  torch::load(plain_resumed, fused_bytes);
  for (int step = 3; step < 5; ++step) {
    SetGradients(a, b, step);
    plain_resumed.step();
    fused_resumed.step();
  }
  // With a fresh (zero) state the bias correction would restart at step 1
  // and the results would differ by far more.
  CHECK(MaxDifference(a, b) < 2e-6);
}

TEST_CASE("FusedAdam gives the same parameters with 1 and 2 threads", "[fused_adam]") {
  test::ThreadGuard guard;
  std::vector<std::vector<torch::Tensor>> results;
  for (int threads : {1, 2}) {
    torch::set_num_threads(threads);
    auto ps = MakeParameters();
    auto unused = Clone(ps);
    FusedAdam adam(ps, torch::optim::AdamOptions(1e-2));
    for (int step = 0; step < 3; ++step) {
      SetGradients(ps, unused, step);
      adam.step();
    }
    results.push_back(ps);
  }
  CHECK(MaxDifference(results[0], results[1]) == 0.0);
}

TEST_CASE("GradientNorm equals clip_grad_norm_'s total norm", "[fused_adam]") {
  auto ps = MakeParameters();
  auto others = MakeParameters(torch::kFloat64);  // not fused: summed by LibTorch
  auto unused = Clone(ps);
  SetGradients(ps, unused, 0);
  auto doubles = Clone(others);
  SetGradients(others, doubles, 1);
  std::vector<torch::Tensor> all = ps;
  all.push_back(others[2]);
  all.push_back(torch::zeros({5}, torch::requires_grad()));  // no gradient: skipped
  const double norm = GradientNorm(all);
  std::vector<torch::Tensor> with_grad(all.begin(), all.end() - 1);
  const double reference =
      torch::nn::utils::clip_grad_norm_(with_grad, std::numeric_limits<double>::infinity());
  CHECK(norm == Approx(reference).epsilon(1e-6));
  CHECK(norm > 100);  // hundreds of thousands of unit normals

  ps[1].mutable_grad()[3][4] = std::numeric_limits<float>::infinity();
  CHECK(std::isinf(GradientNorm(ps)));
  ps[1].mutable_grad()[3][4] = std::numeric_limits<float>::quiet_NaN();
  CHECK(std::isnan(GradientNorm(ps)));
}

}  // namespace verbatim
