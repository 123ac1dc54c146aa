// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/speed_perturb.h"

#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {
namespace {

void CheckFactor(double factor) {
  Check(std::isfinite(factor) && factor > 0.0,
        "speed perturbation: factor must be a positive number, got " + std::to_string(factor));
}

}  // namespace

void SpeedPerturbOptions::Register(OptionRegistry* r) {
  r->Register("factors", &factors, "speed factors drawn with equal probability (> 1: faster)");
}

SpeedPerturb::SpeedPerturb(const SpeedPerturbOptions& opts) : opts_(opts) {
  Check(!opts.factors.empty(), "speed perturbation: the list of factors is empty");
  for (double factor : opts.factors) CheckFactor(factor);
}

double SpeedPerturb::ChooseFactor(Random* rng) const {
  Check(rng != nullptr, "SpeedPerturb::ChooseFactor: null random generator");
  const int64_t last = static_cast<int64_t>(opts_.factors.size()) - 1;
  return opts_.factors[static_cast<size_t>(rng->UniformInt(0, last))];
}

std::vector<float> SpeedPerturb::Apply(const std::vector<float>& samples, double factor) const {
  CheckFactor(factor);
  // Only the ratio of the two rates matters to the resampler; sox's `speed`
  // likewise relabels the input rate and then runs its `rate` effect.
  return Resample(samples, factor, 1.0, opts_.resampler);
}

std::vector<float> SpeedPerturb::Apply(const std::vector<float>& samples, Random* rng,
                                       double* factor) const {
  const double chosen = ChooseFactor(rng);
  if (factor != nullptr) *factor = chosen;
  return Apply(samples, chosen);
}

}  // namespace verbatim
