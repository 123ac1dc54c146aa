// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/bf16_conv2d.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <exception>
#include <thread>
#include <vector>

#include "asr/util/compute_threads.h"

namespace verbatim {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Forward: the batch in one slice per compute thread, each slice convolved
// on a thread of its own whose OpenMP team size is 1, so that oneDNN plans
// and runs that convolution single-threaded. (Run inside LibTorch's parallel
// region instead, where oneDNN also runs on one thread, the values were
// still wrong: the primitive seems to keep the team size it was made for.)
torch::Tensor SlicedForward(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b,
                            int64_t stride) {
  const int64_t n = x.size(0);
  const int64_t slices = std::min<int64_t>(n, at::get_num_threads());
  if (at::get_num_threads() <= 1) return torch::conv2d(x, w, b, stride);
  std::vector<torch::Tensor> parts(static_cast<size_t>(slices));
  std::vector<std::exception_ptr> errors(static_cast<size_t>(slices));
  std::vector<std::thread> workers;
  for (int64_t s = 0; s < slices; ++s) {
    workers.emplace_back([&, s] {
      try {
        SetOpenMpThreadsOfThisThread(1);
        torch::NoGradGuard no_grad;
        const int64_t from = n * s / slices, to = n * (s + 1) / slices;
        parts[static_cast<size_t>(s)] = torch::conv2d(x.slice(0, from, to), w, b, stride);
      } catch (...) {
        errors[static_cast<size_t>(s)] = std::current_exception();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
  return slices == 1 ? parts[0] : torch::cat(parts, 0);
}

class Bf16Conv2dFunction : public torch::autograd::Function<Bf16Conv2dFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t stride) {
    ctx->save_for_backward({x, weight});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["has_bias"] = bias.defined();
    return SlicedForward(x, weight, bias, stride);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &w = saved[1];
    const int64_t stride = ctx->saved_data["stride"].toInt();
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    const std::array<bool, 3> mask{ctx->needs_input_grad(0), ctx->needs_input_grad(1),
                                   has_bias && ctx->needs_input_grad(2)};
    const std::vector<int64_t> bias_sizes{w.size(0)};
    auto [gx, gw, gb] = at::convolution_backward(
        grads[0].to(x.scalar_type()).contiguous(torch::MemoryFormat::ChannelsLast), x, w,
        at::OptionalIntArrayRef(bias_sizes), {stride, stride}, {0, 0}, {1, 1}, false, {0, 0}, 1,
        mask);
    return {gx, gw, gb, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor Bf16Conv2d(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, int64_t stride) {
  // Channels-last activations and weights: oneDNN computes in that layout
  // anyway, and with LibTorch's default layout the backward pass copies the
  // input gradient back to it (76 ms of 190 for the bench model's second
  // convolution, bf16 copies being unvectorized in LibTorch 1.13).
  // With one channel both layouts are the same memory, and LibTorch takes
  // such a tensor for NCHW: its strides are spelt out so that the first
  // convolution's output comes out channels-last too.
  const auto bf16 = [](const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kBFloat16).contiguous(torch::MemoryFormat::ChannelsLast);
    const int64_t ch = c.size(1), h = c.size(2), w = c.size(3);
    return c.as_strided(c.sizes(), {h * w * ch, 1, w * ch, ch});
  };
  return Bf16Conv2dFunction::apply(bf16(x), bf16(weight),
                                   bias.defined() ? bias.to(torch::kBFloat16) : bias, stride);
}

}  // namespace verbatim
