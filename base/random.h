// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A small seeded random number generator with its own uniform and Gaussian
// transforms. The standard library's distributions differ between
// implementations; ours give the same numbers for the same seed everywhere,
// which is what makes dither and augmentation reproducible.
#pragma once

#include <cstdint>
#include <random>

namespace verbatim {

class Random {
 public:
  explicit Random(uint64_t seed = 0) : engine_(seed) {}

  // Mixes several values (e.g. a global seed, an epoch and an utterance hash)
  // into one well-spread seed.
  static uint64_t MixSeed(uint64_t a, uint64_t b);

  void Seed(uint64_t seed) {
    engine_.seed(seed);
    has_spare_ = false;
  }
  uint64_t NextU64() { return engine_(); }
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [low, high).
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer in [low, high] (inclusive).
  int64_t UniformInt(int64_t low, int64_t high);
  // Standard normal (Box-Muller, polar form).
  double Gaussian();

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace verbatim
