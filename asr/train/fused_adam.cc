// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/fused_adam.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <memory>
#include <string>
#include <tuple>

#include "asr/train/adam_kernel.h"

namespace verbatim {
namespace {

// Elements per unit of parallel work: large enough that a unit costs far
// more than handing it out, small enough to balance two to a few dozen threads.
constexpr int64_t kChunk = int64_t(1) << 15;

bool IsPlainFloatCpu(const torch::Tensor& t) {
  return t.defined() && t.layout() == torch::kStrided && t.device().is_cpu() &&
         t.scalar_type() == torch::kFloat32 && t.is_contiguous();
}

// One parameter's update: its arrays and the constants of this step.
struct AdamJob {
  float* param;
  const float* grad;
  float* exp_avg;
  float* exp_avg_sq;
  int64_t numel;
  AdamStepScalars scalars;
};

// Items of these sizes (elements) as units of parallel work of at most
// kChunk elements each, item after item.
struct Chunk {
  size_t item;
  int64_t begin, end;
};
std::vector<Chunk> SplitIntoChunks(const std::vector<int64_t>& sizes) {
  std::vector<Chunk> chunks;
  for (size_t i = 0; i < sizes.size(); ++i)
    for (int64_t b = 0; b < sizes[i]; b += kChunk)
      chunks.push_back({i, b, std::min(sizes[i], b + kChunk)});
  return chunks;
}

// Runs every job, split into chunks, in one parallel loop.
void RunJobs(const std::vector<AdamJob>& jobs) {
  std::vector<int64_t> sizes;
  for (const AdamJob& job : jobs) sizes.push_back(job.numel);
  const std::vector<Chunk> chunks = SplitIntoChunks(sizes);
  at::parallel_for(0, int64_t(chunks.size()), 1, [&](int64_t first, int64_t last) {
    for (int64_t c = first; c < last; ++c) {
      const AdamJob& job = jobs[chunks[c].item];
      const int64_t b = chunks[c].begin;
      AdamUpdate(job.param + b, job.grad + b, job.exp_avg + b, job.exp_avg_sq + b,
                 chunks[c].end - b, job.scalars);
    }
  });
}

// Adam's constants for step number `step` (1 for the first), as LibTorch
// computes them (double) before rounding them to the tensors' float.
template <class Options>
AdamStepScalars StepScalars(const Options& options, int64_t step, bool decoupled,
                            double grad_scale) {
  const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
  const double lr = options.lr(), decay = options.weight_decay();
  AdamStepScalars s;
  s.grad_scale = float(grad_scale);
  s.l2_decay = decoupled ? 0.0f : float(decay);
  s.param_decay = decoupled ? float(1.0 - lr * decay) : 1.0f;
  s.beta1 = float(beta1);
  s.one_minus_beta1 = float(1.0 - beta1);
  s.beta2 = float(beta2);
  s.one_minus_beta2 = float(1.0 - beta2);
  s.sqrt_bias_correction2 = float(std::sqrt(1.0 - std::pow(beta2, double(step))));
  s.eps = float(options.eps());
  s.step_size = float(lr / (1.0 - std::pow(beta1, double(step))));
  return s;
}

using StateMap =
    ska::flat_hash_map<std::string, std::unique_ptr<torch::optim::OptimizerParamState>>;

// The fused step over all groups; false (and nothing changed) when some
// parameter, gradient or state is not a plain float32 CPU tensor, or a group
// uses amsgrad: the caller then takes LibTorch's step.
template <class State, class Options>
bool FusedStep(std::vector<torch::optim::OptimizerParamGroup>& groups, StateMap& states,
               bool decoupled, double grad_scale) {
  for (auto& group : groups) {
    if (static_cast<Options&>(group.options()).amsgrad()) return false;
    for (const auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      if (!IsPlainFloatCpu(p) || !IsPlainFloatCpu(p.grad())) return false;
      const auto it = states.find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (it == states.end()) continue;
      const auto& state = static_cast<const State&>(*it->second);
      if (!IsPlainFloatCpu(state.exp_avg()) || !IsPlainFloatCpu(state.exp_avg_sq())) return false;
    }
  }
  std::vector<AdamJob> jobs;
  for (auto& group : groups) {
    const auto& options = static_cast<Options&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& slot = states[c10::guts::to_string(p.unsafeGetTensorImpl())];
      if (!slot) {  // first step of this parameter: LibTorch's initial state
        auto state = std::make_unique<State>();
        state->step(0);
        state->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(state);
      }
      auto& state = static_cast<State&>(*slot);
      state.step(state.step() + 1);
      jobs.push_back({p.data_ptr<float>(), p.grad().data_ptr<float>(),
                      state.exp_avg().template data_ptr<float>(),
                      state.exp_avg_sq().template data_ptr<float>(), p.numel(),
                      StepScalars(options, state.step(), decoupled, grad_scale)});
    }
  }
  RunJobs(jobs);
  return true;
}

torch::Tensor EvaluateClosure(const torch::optim::Optimizer::LossClosure& closure) {
  if (closure == nullptr) return {};
  at::AutoGradMode enable_grad(true);
  return closure();
}

// One step of `optimizer` (Adam or AdamW: Base, with its State and Options):
// fused when every parameter allows, else LibTorch's own step after scaling
// the gradients in place.
template <class Base, class State, class Options>
torch::Tensor AdamFamilyStep(Base& optimizer, const torch::optim::Optimizer::LossClosure& closure,
                             double grad_scale, bool decoupled) {
  torch::NoGradGuard no_grad;
  torch::Tensor loss = EvaluateClosure(closure);
  if (FusedStep<State, Options>(optimizer.param_groups(), optimizer.state(), decoupled, grad_scale))
    return loss;
  if (grad_scale != 1.0) {
    for (auto& group : optimizer.param_groups())
      for (auto& p : group.params())
        if (p.grad().defined()) p.mutable_grad().mul_(grad_scale);
  }
  optimizer.Base::step(nullptr);
  return loss;
}

}  // namespace

double GradientNorm(const std::vector<torch::Tensor>& parameters) {
  std::vector<const float*> data;
  std::vector<int64_t> sizes;
  double other = 0.0;  // gradients the fused loop cannot read
  for (const auto& p : parameters) {
    const torch::Tensor& g = p.grad();
    if (!g.defined()) continue;
    if (!IsPlainFloatCpu(g)) {
      other += g.detach().to(torch::kFloat64).pow(2).sum().template item<double>();
      continue;
    }
    data.push_back(g.data_ptr<float>());
    sizes.push_back(g.numel());
  }
  const std::vector<Chunk> chunks = SplitIntoChunks(sizes);
  std::vector<double> partial(chunks.size());
  at::parallel_for(0, int64_t(chunks.size()), 1, [&](int64_t first, int64_t last) {
    for (int64_t c = first; c < last; ++c)
      partial[c] =
          SumOfSquares(data[chunks[c].item] + chunks[c].begin, chunks[c].end - chunks[c].begin);
  });
  double total = other;
  for (double part : partial) total += part;  // fixed order: same for any thread count
  return std::sqrt(total);
}

double GradientScaling::TakeGradientScale() {
  const double scale = grad_scale_;
  grad_scale_ = 1.0;
  return scale;
}

torch::Tensor FusedAdam::step(LossClosure closure) {
  return AdamFamilyStep<torch::optim::Adam, torch::optim::AdamParamState,
                        torch::optim::AdamOptions>(*this, closure, TakeGradientScale(),
                                                   /*decoupled=*/false);
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
  return AdamFamilyStep<torch::optim::AdamW, torch::optim::AdamWParamState,
                        torch::optim::AdamWOptions>(*this, closure, TakeGradientScale(),
                                                    /*decoupled=*/true);
}

}  // namespace verbatim
