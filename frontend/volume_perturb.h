// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Volume perturbation: the whole signal multiplied by one gain drawn
// uniformly in [min_gain, max_gain] (Kaldi's perturb_data_dir_volume.sh,
// whose default range is 1/8 .. 2). Samples are floats, so nothing clips.
#pragma once

#include <vector>

#include "base/option_registry.h"
#include "base/random.h"

namespace verbatim {

struct VolumePerturbOptions {
  double min_gain = 0.125;  // linear amplitude factor (-18 dB)
  double max_gain = 2.0;    // linear amplitude factor (+6 dB)

  void Register(OptionRegistry* registry);  // min_gain, max_gain
};

class VolumePerturb {
 public:
  // Throws Error unless 0 <= min_gain <= max_gain (finite).
  explicit VolumePerturb(const VolumePerturbOptions& opts = {});

  const VolumePerturbOptions& options() const { return opts_; }

  // A gain uniform in [min_gain, max_gain).
  double ChooseGain(Random* rng) const;
  // Scales `samples` in place by a drawn gain; returns the gain.
  double Apply(std::vector<float>* samples, Random* rng) const;

 private:
  VolumePerturbOptions opts_;
};

}  // namespace verbatim
