// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/adam_kernel.h"

#include <cmath>

// One copy of each loop per instruction set, chosen when the program loads:
// the build stays portable (no -march) and still runs 16 floats at a time on
// AVX-512 machines.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VERBATIM_VECTOR_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VERBATIM_VECTOR_CLONES
#endif

namespace verbatim {

VERBATIM_VECTOR_CLONES
void AdamUpdate(float* __restrict param, const float* __restrict grad, float* __restrict exp_avg,
                float* __restrict exp_avg_sq, int64_t n, const AdamStepScalars& s) {
  // Copies: the compiler then knows they do not change inside the loop.
  const float grad_scale = s.grad_scale, l2_decay = s.l2_decay, param_decay = s.param_decay;
  const float beta1 = s.beta1, one_minus_beta1 = s.one_minus_beta1;
  const float beta2 = s.beta2, one_minus_beta2 = s.one_minus_beta2;
  const float sqrt_bc2 = s.sqrt_bias_correction2, eps = s.eps, step_size = s.step_size;
  for (int64_t i = 0; i < n; ++i) {
    const float p = param[i] * param_decay;
    const float g = grad[i] * grad_scale + l2_decay * p;
    const float m = exp_avg[i] * beta1 + one_minus_beta1 * g;
    const float v = exp_avg_sq[i] * beta2 + one_minus_beta2 * (g * g);
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    param[i] = p - step_size * (m / (std::sqrt(v) / sqrt_bc2 + eps));
  }
}

VERBATIM_VECTOR_CLONES
double SumOfSquares(const float* __restrict x, int64_t n) {
  // Eight independent sums (vectorizable without reordering any one of them),
  // added in a fixed order at the end.
  constexpr int kLanes = 8;
  double lane[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) lane[k] += double(x[i + k]) * double(x[i + k]);
  for (int k = 0; i < n; ++i, ++k) lane[k] += double(x[i]) * double(x[i]);
  double total = 0.0;
  for (double part : lane) total += part;
  return total;
}

}  // namespace verbatim
