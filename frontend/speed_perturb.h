// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Speed perturbation as sox's `speed` effect and Kaldi's perturb_data_dir_speed.sh:
// tempo and pitch change together. A signal sped up by `factor` is the same
// samples taken to have been recorded at rate * factor, resampled back to
// rate (libsoxr, as sox does), so n samples become about n / factor.
#pragma once

#include <vector>

#include "base/option_registry.h"
#include "base/random.h"
#include "frontend/resampler.h"

namespace verbatim {

struct SpeedPerturbOptions {
  // Unitless speed factors to choose from, each with equal probability;
  // > 1 is faster (shorter), < 1 slower. Kaldi's and ESPnet's 3-way default.
  std::vector<double> factors = {0.9, 1.0, 1.1};
  ResamplerOptions resampler;  // sox's `speed` resamples at its default ("high") quality

  void Register(OptionRegistry* registry);  // factors
};

class SpeedPerturb {
 public:
  // Throws Error when `factors` is empty or holds a factor that is not a
  // positive finite number.
  explicit SpeedPerturb(const SpeedPerturbOptions& opts = {});

  const SpeedPerturbOptions& options() const { return opts_; }

  // One of the factors, uniformly.
  double ChooseFactor(Random* rng) const;

  // `samples` sped up by `factor` (any positive factor, not only the listed
  // ones); the output has round(n / factor) samples. Factor 1 returns a copy.
  std::vector<float> Apply(const std::vector<float>& samples, double factor) const;

  // Chooses a factor and applies it; stores the factor in `*factor` when given.
  std::vector<float> Apply(const std::vector<float>& samples, Random* rng,
                           double* factor = nullptr) const;

 private:
  SpeedPerturbOptions opts_;
};

}  // namespace verbatim
