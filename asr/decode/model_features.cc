// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/decode/model_features.h"

#include <cmath>

namespace verbatim {

ModelFeatures::ModelFeatures(const LoadedModel& model) : fbank_(model.config.fbank) {
  fbank_.frame.dither = 0.0f;
  if (model.cmvn) cmvn_.emplace(*model.cmvn, model.config.cmvn);
}

int ModelFeatures::sample_rate_hz() const {
  return static_cast<int>(std::lround(fbank_.frame.sample_frequency));
}

double ModelFeatures::frame_shift_s() const { return fbank_.frame.frame_shift_ms / 1000.0; }

FeatureMatrix ModelFeatures::Compute(const float* samples, int64_t num_samples) const {
  // One Fbank per call: it holds scratch buffers, so sharing one between
  // threads is not safe, and building it is cheap next to the features.
  FeatureMatrix feats = Fbank(fbank_).Compute(samples, num_samples);
  if (cmvn_) cmvn_->Apply(&feats);
  return feats;
}

}  // namespace verbatim
