// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "base/random.h"

#include <cmath>

namespace verbatim {

uint64_t Random::MixSeed(uint64_t a, uint64_t b) {
  // splitmix64 finalizer over a combination of both inputs.
  uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Random::Uniform() {
  // 53 random bits give every double in [0, 1) with spacing 2^-53.
  return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
}

int64_t Random::UniformInt(int64_t low, int64_t high) {
  if (high <= low) return low;
  const uint64_t range = static_cast<uint64_t>(high - low) + 1;
  // Rejection sampling removes the modulo bias.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t x;
  do {
    x = engine_();
  } while (x >= limit);
  return low + static_cast<int64_t>(x % range);
}

double Random::Gaussian() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * Uniform() - 1.0;
    v = 2.0 * Uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

}  // namespace verbatim
