// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The element-wise arithmetic of one Adam/AdamW update on float32 arrays, in
// one pass over memory (LibTorch's optimizers make seven passes per
// parameter and allocate two temporaries). No LibTorch here: the file is
// compiled on its own with the flags that let the loops vectorize
// (-fno-math-errno for sqrt, clones for AVX-512/AVX2), which the library's
// precompiled header does not allow; asr/train/fused_adam.h splits the work
// over threads.
#pragma once

#include <cstdint>

namespace verbatim {

// The per-parameter constants of one step, precomputed in double and rounded
// to float as LibTorch rounds its scalar arguments for float tensors.
struct AdamStepScalars {
  float grad_scale = 1.0f;       // the gradient is multiplied by this first (clipping)
  float l2_decay = 0.0f;         // Adam: grad += l2_decay x param
  float param_decay = 1.0f;      // AdamW: param *= param_decay (1 - lr x weight_decay) first
  float beta1 = 0.9f;            // first-moment decay
  float one_minus_beta1 = 0.1f;  // 1 - beta1
  float beta2 = 0.999f;          // second-moment decay
  float one_minus_beta2 = 0.001f;
  float sqrt_bias_correction2 = 1.0f;  // sqrt(1 - beta2^step)
  float eps = 1e-8f;                   // added to the corrected RMS
  float step_size = 1e-3f;             // lr / (1 - beta1^step)
};

// Updates n elements in place, element by element the same arithmetic as
// torch::optim::Adam (AdamW when param_decay != 1):
//   g = grad x grad_scale + l2_decay x param;  param *= param_decay
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   param -= step_size x m / (sqrt(v) / sqrt_bias_correction2 + eps)
// The arrays must not overlap.
void AdamUpdate(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t n,
                const AdamStepScalars& s);

// sum_i x[i]^2 accumulated in double, in a fixed order (the same result for
// the same input on every run).
double SumOfSquares(const float* x, int64_t n);

}  // namespace verbatim
