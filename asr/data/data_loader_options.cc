// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/data_loader_options.h"

#include <cmath>

namespace verbatim {

void DataLoaderOptions::RegisterAugmentation(OptionRegistry* r) {
  r->Register("speed_perturb", &speed_perturb, "speed perturbation (sox speed: tempo and pitch)");
  PrefixedRegistry speed_names(r, "speed_");
  speed.Register(&speed_names);
  r->Register("volume_perturb", &volume_perturb, "random gain per utterance");
  PrefixedRegistry volume_names(r, "volume_");
  volume.Register(&volume_names);
  r->Register("noise_probability", &noise_probability,
              "share of utterances that get additive noise, 0..1");
  PrefixedRegistry noise_names(r, "noise_");
  noise.Register(&noise_names);
  r->Register("spec_augment", &spec_augment, "SpecAugment on the features");
  spec.Register(r);
}

void DataLoaderOptions::Resolve() {
  const int rate = static_cast<int>(std::lround(fbank.frame.sample_frequency));
  audio.audio.sample_rate_hz = rate;
  noise.sample_rate_hz = rate;
}

DataLoaderOptions DataLoaderOptions::WithoutAugmentation() const {
  DataLoaderOptions o = *this;
  o.speed_perturb = o.spec_augment = o.volume_perturb = false;
  o.noise_probability = 0.0;
  o.fbank.frame.dither = 0.0f;
  return o;
}

}  // namespace verbatim
