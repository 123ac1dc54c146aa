// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/volume_perturb.h"

#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {

void VolumePerturbOptions::Register(OptionRegistry* r) {
  r->Register("min_gain", &min_gain, "smallest amplitude factor, linear");
  r->Register("max_gain", &max_gain, "largest amplitude factor, linear");
}

VolumePerturb::VolumePerturb(const VolumePerturbOptions& opts) : opts_(opts) {
  Check(std::isfinite(opts.min_gain) && std::isfinite(opts.max_gain) && opts.min_gain >= 0.0 &&
            opts.min_gain <= opts.max_gain,
        "volume perturbation: bad gain range [" + std::to_string(opts.min_gain) + ", " +
            std::to_string(opts.max_gain) + "]");
}

double VolumePerturb::ChooseGain(Random* rng) const {
  Check(rng != nullptr, "VolumePerturb::ChooseGain: null random generator");
  return rng->Uniform(opts_.min_gain, opts_.max_gain);
}

double VolumePerturb::Apply(std::vector<float>* samples, Random* rng) const {
  Check(samples != nullptr, "VolumePerturb::Apply: null samples");
  const double gain = ChooseGain(rng);
  for (float& v : *samples) v = static_cast<float>(v * gain);
  return gain;
}

}  // namespace verbatim
