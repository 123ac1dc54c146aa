// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/amx_safe_products.h"

#include <vector>

#include "asr/model/cpu_autocast.h"

namespace verbatim {
namespace {

int64_t Odd(int64_t n) { return n % 2; }

// Pads dimension `dim` (negative: from the end) of t with `extra` zeros at its end.
torch::Tensor PadEnd(const torch::Tensor& t, int64_t dim, int64_t extra) {
  if (extra == 0) return t;
  std::vector<int64_t> pad(2 * static_cast<size_t>(-dim), 0);
  pad.back() = extra;  // constant_pad_nd lists the last dimension first
  return torch::constant_pad_nd(t, pad, 0);
}

bool RecordsGradient(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::GradMode::is_enabled() && (a.requires_grad() || b.requires_grad());
}

}  // namespace

bool OnOneDnnBf16Path(const torch::Tensor& a, const torch::Tensor& b) {
  if (!a.device().is_cpu() || !b.device().is_cpu()) return false;
  if (a.scalar_type() == torch::kBFloat16 || b.scalar_type() == torch::kBFloat16) return true;
  return CpuBf16AutocastOn();
}

torch::Tensor AmxSafeLinear(const torch::Tensor& x, const torch::Tensor& weight,
                            const torch::Tensor& bias) {
  if (!OnOneDnnBf16Path(x, weight)) return torch::linear(x, weight, bias);
  const int64_t in = weight.size(1), out = weight.size(0);
  const bool grad = RecordsGradient(x, weight) || (bias.defined() && bias.requires_grad());
  const int64_t pad_in = Odd(in), pad_out = grad ? Odd(out) : 0;
  torch::Tensor rows = x.reshape({-1, in});
  const int64_t num_rows = rows.size(0);
  const int64_t pad_rows = grad ? Odd(num_rows) : 0;
  if (pad_in + pad_out + pad_rows == 0) return torch::linear(x, weight, bias);
  rows = PadEnd(PadEnd(rows, -1, pad_in), -2, pad_rows);
  const torch::Tensor w = PadEnd(PadEnd(weight, -1, pad_in), -2, pad_out);
  const torch::Tensor b = bias.defined() ? PadEnd(bias, -1, pad_out) : bias;
  torch::Tensor y = torch::linear(rows, w, b).narrow(0, 0, num_rows).narrow(1, 0, out);
  std::vector<int64_t> sizes(x.sizes().begin(), x.sizes().end());
  sizes.back() = out;
  return y.reshape(sizes);
}

torch::Tensor AmxSafeMatmul(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.dim() < 2 || b.dim() < 2 || !OnOneDnnBf16Path(a, b)) return torch::matmul(a, b);
  const bool grad = RecordsGradient(a, b);
  const int64_t m = a.size(-2), n = b.size(-1);
  const int64_t pad_k = Odd(a.size(-1));
  const int64_t pad_m = grad ? Odd(m) : 0, pad_n = grad ? Odd(n) : 0;
  if (pad_k + pad_m + pad_n == 0) return torch::matmul(a, b);
  const torch::Tensor a2 = PadEnd(PadEnd(a, -1, pad_k), -2, pad_m);
  const torch::Tensor b2 = PadEnd(PadEnd(b, -2, pad_k), -1, pad_n);
  return torch::matmul(a2, b2).narrow(-2, 0, m).narrow(-1, 0, n);
}

}  // namespace verbatim
