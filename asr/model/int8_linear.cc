// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/int8_linear.h"

#include <ATen/core/dispatch/Dispatcher.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "base/error.h"

namespace verbatim {
namespace {

// The smallest weight step: an all-zero row still needs a positive scale.
constexpr double kMinStep = 1e-12;
// Rows of an INT8 call: `rows` rounded up to a multiple of the smallest
// power of two at or above rows / 16 (under 1/8 more rows; few distinct
// shapes, see forward).
int64_t PaddedRows(int64_t rows) {
  int64_t unit = 1;
  while (rows > 16 * unit) unit *= 2;
  return (rows + unit - 1) / unit * unit;
}

// Sizes of x (..., in) with the last replaced by `out`.
std::vector<int64_t> OutputSizes(const torch::Tensor& x, int64_t out) {
  auto sizes = x.sizes().vec();
  sizes.back() = out;
  return sizes;
}

}  // namespace

std::string SelectInt8Engine() {
  static std::once_flag once;
  std::call_once(once, [] {
    const auto& supported = at::globalContext().supportedQEngines();
    for (const at::QEngine engine :
         {at::QEngine::X86, at::QEngine::FBGEMM, at::QEngine::ONEDNN, at::QEngine::QNNPACK}) {
      if (std::find(supported.begin(), supported.end(), engine) != supported.end()) {
        at::globalContext().setQEngine(engine);
        return;
      }
    }
  });
  const at::QEngine engine = at::globalContext().qEngine();
  Check(engine != at::QEngine::NoQEngine, "INT8: this LibTorch has no quantized engine");
  return c10::toString(engine);
}

Int8Linear::Int8Linear(const torch::Tensor& weight, const torch::Tensor& bias,
                       const Int8Options& opts)
    : opts_(opts) {
  Check(weight.dim() == 2 && weight.is_floating_point(),
        "INT8: the weight must be a 2-D float matrix");
  Check(weight.device().is_cpu(), "INT8 inference runs on the CPU only");
  const std::string engine = SelectInt8Engine();
  // FBGEMM's int8 products can saturate 16-bit intermediate sums with full
  // 8-bit activations on CPUs without VNNI; one bit less avoids it.
  reduce_range_ = engine == "X86" || engine == "FBGEMM";
  torch::NoGradGuard no_grad;
  const auto w = weight.detach().to(torch::kFloat32).contiguous();
  weight_ = w;
  out_features_ = w.size(0);
  in_features_ = w.size(1);
  // Symmetric per-row quantization: the row's largest magnitude maps to 127.
  steps_ = (w.abs().amax(1).to(torch::kFloat64) / 127.0).clamp_min(kMinStep);
  const auto q = torch::quantize_per_channel(
      w, steps_, torch::zeros({out_features_}, torch::kInt64), 0, torch::kQInt8);
  c10::optional<at::Tensor> b;
  if (bias.defined()) {
    Check(bias.dim() == 1 && bias.size(0) == out_features_ && bias.device().is_cpu(),
          "INT8: the bias must be (out) on the CPU");
    bias_ = bias.detach().to(torch::kFloat32).contiguous();
    b = bias_.clone();
  }
  static const auto prepack = c10::Dispatcher::singleton()
                                  .findSchemaOrThrow("quantized::linear_prepack", "")
                                  .typed<c10::intrusive_ptr<LinearPackedParamsBase>(
                                      at::Tensor, c10::optional<at::Tensor>)>();
  packed_ = prepack.call(q, b);
}

torch::Tensor Int8Linear::forward(const torch::Tensor& x) const {
  Check(defined(), "INT8: the layer was not quantized");
  Check(x.device().is_cpu(), "INT8 inference runs on the CPU only");
  Check(x.dim() >= 1 && x.size(-1) == in_features_, "INT8: input of " + std::to_string(x.size(-1)) +
                                                        " features, the layer takes " +
                                                        std::to_string(in_features_));
  // The engines do not take empty inputs.
  if (x.numel() == 0) return torch::empty(OutputSizes(x, out_features_), torch::kFloat32);
  const int64_t rows = x.numel() / in_features_;
  if (rows < opts_.min_rows || rows * in_features_ * out_features_ < opts_.min_macs)
    return torch::linear(x.to(torch::kFloat32), weight_, bias_);
  // oneDNN builds (and caches) its kernel per input shape and input scale,
  // which apply_dynamic takes from the input's range: a new kernel nearly
  // every call, costing far more than the product. So the rows are padded
  // (PaddedRows: few distinct shapes), and the last padding row pins the
  // range to [-R or 0, R] with R the power of two at or above max |x| (few
  // scales, at most one bit of resolution lost). The padding's outputs are
  // dropped.
  const auto flat = x.to(torch::kFloat32).reshape({rows, in_features_});
  const auto [lo, hi] = torch::aminmax(flat);
  const float low = lo.item<float>(), high = hi.item<float>();
  const float peak = std::max(std::fabs(low), std::fabs(high));
  if (peak == 0.0f) return torch::linear(flat, weight_, bias_).view(OutputSizes(x, out_features_));
  const float range = std::exp2(std::ceil(std::log2(peak)));
  const int64_t padded = PaddedRows(rows + 1);
  auto input = torch::zeros({padded, in_features_}, torch::kFloat32);
  input.narrow(0, 0, rows).copy_(flat);
  auto pin = input[padded - 1];
  pin[0] = low < 0.0f ? -range : 0.0f;
  if (in_features_ > 1) pin[1] = high > 0.0f ? range : 0.0f;
  return packed_->apply_dynamic(input, reduce_range_)
      .narrow(0, 0, rows)
      .view(OutputSizes(x, out_features_));
}

}  // namespace verbatim
