// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/decode/model_features.h"

#include <cmath>

namespace verbatim {

namespace {

FbankOptions WithoutDither(FbankOptions opts) {
  opts.frame.dither = 0.0f;
  return opts;
}

}  // namespace

ModelFeatures::ModelFeatures(const LoadedModel& model) : fbank_(WithoutDither(model.config.fbank)) {
  if (model.cmvn) cmvn_.emplace(*model.cmvn, model.config.cmvn);
}

int ModelFeatures::sample_rate_hz() const {
  return static_cast<int>(std::lround(fbank_.options().frame.sample_frequency));
}

double ModelFeatures::frame_shift_s() const {
  return fbank_.options().frame.frame_shift_ms / 1000.0;
}

FeatureMatrix ModelFeatures::Compute(const float* samples, int64_t num_samples) const {
  FeatureMatrix feats = fbank_.Compute(samples, num_samples);
  if (cmvn_) cmvn_->Apply(&feats);
  return feats;
}

}  // namespace verbatim
