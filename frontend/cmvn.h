// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Cepstral mean and variance normalization. Statistics are accumulated in
// double precision, streaming (utterance by utterance, mergeable across
// threads), and stored in Kaldi's own layout so that Kaldi's text cmvn files
// (`compute-cmvn-stats --binary=false`) can be read and ours read by Kaldi:
//   [ sum_0 .. sum_{D-1} count
//     sumsq_0 .. sumsq_{D-1} 0 ]
// (optionally preceded by a key, as in a text archive with one entry).
#pragma once

#include <string>
#include <vector>

#include "base/option_registry.h"
#include "frontend/feature_matrix.h"

namespace verbatim {

struct CmvnOptions {
  bool norm_means = true;    // subtract the mean
  bool norm_vars = true;     // divide by the standard deviation
  double var_floor = 1e-20;  // floor on the variance (feature units squared), as Kaldi's apply-cmvn

  void Register(OptionRegistry* registry);  // norm_means, norm_vars
};

class CmvnStats {
 public:
  CmvnStats() = default;
  explicit CmvnStats(int dim) : dim_(dim), sum_(dim, 0.0), sum_sq_(dim, 0.0) {}

  int dim() const { return dim_; }
  double count() const { return count_; }  // frames
  const std::vector<double>& sum() const { return sum_; }
  const std::vector<double>& sum_sq() const { return sum_sq_; }

  // Adds every frame of `feats` (dim must match; the first call sets it).
  void Accumulate(const FeatureMatrix& feats);
  void Merge(const CmvnStats& other);

  std::vector<double> Mean() const;
  std::vector<double> Variance(double floor = 0.0) const;

  // Writes the Kaldi text matrix to `path` atomically (temp file + rename).
  void Save(const std::string& path) const;
  // Reads our files and Kaldi's text cmvn stats (with or without a key).
  static CmvnStats Load(const std::string& path);

 private:
  int dim_ = 0;
  double count_ = 0.0;
  std::vector<double> sum_;
  std::vector<double> sum_sq_;
};

// Applies fixed statistics (e.g. global CMVN from the training set).
class Cmvn {
 public:
  Cmvn(const CmvnStats& stats, const CmvnOptions& opts = {});
  int dim() const { return static_cast<int>(offset_.size()); }
  // feats[t][d] = (feats[t][d] + offset[d]) * scale[d], in place.
  void Apply(FeatureMatrix* feats) const;

 private:
  std::vector<float> offset_;  // -mean, or 0
  std::vector<float> scale_;   // 1/stddev, or 1
};

// Normalizes an utterance with its own statistics.
void ApplyUtteranceCmvn(FeatureMatrix* feats, const CmvnOptions& opts = {});

}  // namespace verbatim
