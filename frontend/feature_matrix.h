// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A dense row-major matrix of features: one row per frame (10 ms by default),
// one column per feature dimension. Owns its data.
#pragma once

#include <cstddef>
#include <vector>

namespace verbatim {

struct FeatureMatrix {
  FeatureMatrix() = default;
  FeatureMatrix(int num_frames, int dim, float value = 0.0f)
      : num_frames(num_frames), dim(dim), data(static_cast<size_t>(num_frames) * dim, value) {}

  float* Row(int frame) { return data.data() + static_cast<size_t>(frame) * dim; }
  const float* Row(int frame) const { return data.data() + static_cast<size_t>(frame) * dim; }
  float& operator()(int frame, int d) { return Row(frame)[d]; }
  float operator()(int frame, int d) const { return Row(frame)[d]; }
  bool Empty() const { return num_frames == 0; }

  int num_frames = 0;  // rows (T)
  int dim = 0;         // columns (C)
  std::vector<float> data;  // T * C values, row-major
};

}  // namespace verbatim
