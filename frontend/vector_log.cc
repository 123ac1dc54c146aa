// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/vector_log.h"

#include <cstdint>
#include <cstring>

namespace verbatim {
namespace {

float FromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

uint32_t ToBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// log(x) for a positive normal x, branch-free so that loops over it vectorize.
// x = 2^k m with m in [sqrt(1/2), sqrt(2)), found on the bits: subtracting
// the bits of sqrt(1/2) moves that boundary onto an exponent step. Then
// log(x) = k ln2 + f - f^2/2 + f^3 P(f) with f = m - 1 (exact in float), P a
// degree-8 Chebyshev fit of (log1p(f) - f + f^2/2) / f^3 on [sqrt(1/2) - 1,
// sqrt(2) - 1] (relative error 3e-9, fitted with mpmath). ln2 is split into
// a part with 9 significant bits (k ln2_hi is exact) and the remainder, and
// the rounding error of k ln2_hi + f is carried along (Fast2Sum: |k ln2_hi|
// >= |f| unless k = 0), so that only the final addition rounds at full scale.
float LogOfNormal(float x) {
  constexpr uint32_t kSqrtHalfBits = 0x3f3504f3u;
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const uint32_t bits = ToBits(x);
  const uint32_t offset = bits - kSqrtHalfBits;
  const int32_t k = static_cast<int32_t>(offset) >> 23;  // arithmetic shift
  const float f = FromBits(bits - (offset & 0xff800000u)) - 1.0f;
  float p = 0.0697161183f;
  p = p * f - 0.114797339f;
  p = p * f + 0.116854198f;
  p = p * f - 0.124256872f;
  p = p * f + 0.142490581f;
  p = p * f - 0.166678026f;
  p = p * f + 0.200007156f;
  p = p * f - 0.24999997f;
  p = p * f + 0.333333313f;
  const float kf = static_cast<float>(k);
  const float high = kf * kLn2Hi;
  const float sum = high + f;
  const float sum_error = (high - sum) + f;
  const float tail = (f * f) * (f * p - 0.5f) + kf * kLn2Lo;
  return sum + (tail + sum_error);
}

}  // namespace

void FlooredLogInPlace(float* x, int n, float floor) {
  for (int i = 0; i < n; ++i) {
    const float v = x[i] < floor ? floor : x[i];  // NaN stays NaN
    // +inf and NaN (all exponent bits set) pass through. A bit mask selects,
    // as the compiler vectorizes no float arithmetic under a condition.
    const uint32_t finite = 0u - static_cast<uint32_t>((ToBits(v) & 0x7fffffffu) < 0x7f800000u);
    x[i] = FromBits((ToBits(LogOfNormal(v)) & finite) | (ToBits(v) & ~finite));
  }
}

}  // namespace verbatim
