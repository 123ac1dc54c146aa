// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The features a model directory expects for decoding: its filterbank
// configuration without dither (decoding must be deterministic) followed by
// its global CMVN, when it has one.
#pragma once

#include <optional>
#include <vector>

#include "asr/model/model_dir.h"
#include "frontend/cmvn.h"
#include "frontend/fbank.h"
#include "frontend/feature_matrix.h"

namespace verbatim {

class ModelFeatures {
 public:
  explicit ModelFeatures(const LoadedModel& model);

  int sample_rate_hz() const;    // Hz, the rate Compute expects
  double frame_shift_s() const;  // s between feature frames
  // Features (frames x dim) of `num_samples` samples at sample_rate_hz(), at
  // the 16-bit integer scale. Thread-safe.
  FeatureMatrix Compute(const float* samples, int64_t num_samples) const;
  FeatureMatrix Compute(const std::vector<float>& samples) const {
    return Compute(samples.data(), static_cast<int64_t>(samples.size()));
  }

 private:
  Fbank fbank_;  // built once; thread-safe
  std::optional<Cmvn> cmvn_;
};

}  // namespace verbatim
