// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/cmvn.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {

void CmvnOptions::Register(OptionRegistry* r) {
  r->Register("norm_means", &norm_means, "subtract the mean");
  r->Register("norm_vars", &norm_vars, "divide by the standard deviation");
}

void CmvnStats::Accumulate(const FeatureMatrix& feats) {
  if (dim_ == 0 && count_ == 0) *this = CmvnStats(feats.dim);
  Check(feats.dim == dim_, "CMVN: features have dimension " + std::to_string(feats.dim) +
                               ", statistics have " + std::to_string(dim_));
  for (int t = 0; t < feats.num_frames; ++t) {
    const float* row = feats.Row(t);
    for (int d = 0; d < dim_; ++d) {
      sum_[d] += row[d];
      sum_sq_[d] += static_cast<double>(row[d]) * row[d];
    }
  }
  count_ += feats.num_frames;
}

void CmvnStats::Merge(const CmvnStats& other) {
  if (other.count_ == 0 && other.dim_ == 0) return;
  if (dim_ == 0 && count_ == 0) {
    *this = other;
    return;
  }
  Check(other.dim_ == dim_, "CMVN: cannot merge statistics of dimension " +
                                std::to_string(other.dim_) + " into " + std::to_string(dim_));
  for (int d = 0; d < dim_; ++d) {
    sum_[d] += other.sum_[d];
    sum_sq_[d] += other.sum_sq_[d];
  }
  count_ += other.count_;
}

std::vector<double> CmvnStats::Mean() const {
  Check(count_ > 0, "CMVN: no frames accumulated");
  std::vector<double> mean(dim_);
  for (int d = 0; d < dim_; ++d) mean[d] = sum_[d] / count_;
  return mean;
}

std::vector<double> CmvnStats::Variance(double floor) const {
  const std::vector<double> mean = Mean();
  std::vector<double> var(dim_);
  for (int d = 0; d < dim_; ++d) var[d] = std::max(sum_sq_[d] / count_ - mean[d] * mean[d], floor);
  return var;
}

void CmvnStats::Save(const std::string& path) const {
  AtomicOutputFile file(path);
  std::ostream& out = file.stream();
  char buf[40];
  out << " [\n ";
  for (int d = 0; d < dim_; ++d) {
    std::snprintf(buf, sizeof(buf), " %.17g", sum_[d]);
    out << buf;
  }
  std::snprintf(buf, sizeof(buf), " %.17g", count_);
  out << buf << "\n ";
  for (int d = 0; d < dim_; ++d) {
    std::snprintf(buf, sizeof(buf), " %.17g", sum_sq_[d]);
    out << buf;
  }
  out << " 0 ]\n";
  file.Commit();
}

CmvnStats CmvnStats::Load(const std::string& path) {
  std::ifstream in(path);
  Check(static_cast<bool>(in), path + ": cannot open CMVN statistics");
  std::vector<std::vector<double>> rows;
  std::string line;
  bool opened = false, closed = false;
  while (!closed && std::getline(in, line)) {
    std::istringstream tokens(line);
    std::string tok;
    std::vector<double> row;
    while (tokens >> tok) {
      if (tok == "[") {
        opened = true;
      } else if (tok == "]") {
        closed = true;
        break;
      } else if (!opened) {
        continue;  // the key of a one-entry archive
      } else {
        char* end = nullptr;
        const double v = std::strtod(tok.c_str(), &end);
        Check(end != tok.c_str() && *end == '\0', path + ": not a number: '" + tok + "'");
        // NaN or infinite statistics would silently turn every feature into NaN.
        Check(std::isfinite(v), path + ": not a finite number: '" + tok + "'");
        row.push_back(v);
      }
    }
    if (!row.empty()) rows.push_back(row);
  }
  Check(opened && closed, path + ": not a Kaldi text matrix (expected '[ ... ]')");
  Check(rows.size() == 2 && rows[0].size() == rows[1].size() && rows[0].size() >= 2,
        path + ": CMVN statistics must be a 2 x (dim+1) matrix");
  const int dim = static_cast<int>(rows[0].size()) - 1;
  CmvnStats stats(dim);
  for (int d = 0; d < dim; ++d) {
    stats.sum_[d] = rows[0][d];
    stats.sum_sq_[d] = rows[1][d];
  }
  stats.count_ = rows[0][dim];
  Check(stats.count_ > 0,
        path + ": CMVN statistics hold no frames (count " + std::to_string(stats.count_) + ")");
  // Absurd but finite statistics (sums of 1e60) overflow the float offsets
  // and scales: every normalized feature would be infinite or NaN.
  FeatureMatrix zero(1, dim, 0.0f);
  Cmvn(stats).Apply(&zero);
  for (int d = 0; d < dim; ++d)
    Check(std::isfinite(zero.data[d]), path + ": CMVN statistics out of range in dimension " +
                                           std::to_string(d) + " (mean or variance too large)");
  return stats;
}

Cmvn::Cmvn(const CmvnStats& stats, const CmvnOptions& opts)
    : offset_(stats.dim(), 0.0f), scale_(stats.dim(), 1.0f) {
  // As Kaldi's apply-cmvn: variance normalization is defined around the mean.
  Check(opts.norm_means || !opts.norm_vars,
        "CMVN: cannot normalize the variance without normalizing the mean");
  const std::vector<double> mean = stats.Mean();
  const std::vector<double> var = stats.Variance(opts.var_floor);
  for (int d = 0; d < stats.dim(); ++d) {
    if (opts.norm_means) offset_[d] = static_cast<float>(-mean[d]);
    if (opts.norm_vars) scale_[d] = static_cast<float>(1.0 / std::sqrt(var[d]));
  }
}

void Cmvn::Apply(FeatureMatrix* feats) const {
  Check(feats->dim == dim(), "CMVN: features have dimension " + std::to_string(feats->dim) +
                                 ", statistics have " + std::to_string(dim()));
  for (int t = 0; t < feats->num_frames; ++t) {
    float* row = feats->Row(t);
    for (int d = 0; d < feats->dim; ++d) row[d] = (row[d] + offset_[d]) * scale_[d];
  }
}

void ApplyUtteranceCmvn(FeatureMatrix* feats, const CmvnOptions& opts) {
  if (feats->num_frames == 0) return;
  CmvnStats stats(feats->dim);
  stats.Accumulate(*feats);
  Cmvn(stats, opts).Apply(feats);
}

}  // namespace verbatim
