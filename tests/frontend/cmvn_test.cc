// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "base/error.h"
#include "base/random.h"
#include "frontend/cmvn.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

FeatureMatrix RandomFeats(int frames, int dim, uint64_t seed) {
  Random rng(seed);
  FeatureMatrix m(frames, dim);
  for (int t = 0; t < frames; ++t)
    for (int d = 0; d < dim; ++d) m(t, d) = static_cast<float>(d * 2.0 + (d + 1) * rng.Gaussian());
  return m;
}

TEST_CASE("CMVN statistics match a direct two-pass computation", "[cmvn]") {
  CmvnStats stats;
  std::vector<FeatureMatrix> utts;
  for (int u = 0; u < 5; ++u) utts.push_back(RandomFeats(50 + 17 * u, 6, u));
  for (const auto& m : utts) stats.Accumulate(m);
  // Two-pass reference over all frames.
  std::vector<double> mean(6, 0.0), var(6, 0.0);
  double n = 0;
  for (const auto& m : utts)
    for (int t = 0; t < m.num_frames; ++t, ++n)
      for (int d = 0; d < 6; ++d) mean[d] += m(t, d);
  for (auto& x : mean) x /= n;
  for (const auto& m : utts)
    for (int t = 0; t < m.num_frames; ++t)
      for (int d = 0; d < 6; ++d) var[d] += (m(t, d) - mean[d]) * (m(t, d) - mean[d]);
  for (auto& x : var) x /= n;
  REQUIRE(stats.count() == n);
  for (int d = 0; d < 6; ++d) {
    CHECK(stats.Mean()[d] == Approx(mean[d]).epsilon(1e-12));
    CHECK(stats.Variance()[d] == Approx(var[d]).epsilon(1e-9));
  }
}

TEST_CASE("CMVN merge equals accumulating everything in one object", "[cmvn]") {
  CmvnStats a, b, all;
  for (int u = 0; u < 4; ++u) {
    FeatureMatrix m = RandomFeats(30, 3, 10 + u);
    (u % 2 ? a : b).Accumulate(m);
    all.Accumulate(m);
  }
  a.Merge(b);
  CHECK(a.count() == all.count());
  for (int d = 0; d < 3; ++d) CHECK(a.sum()[d] == Approx(all.sum()[d]).epsilon(1e-12));
}

TEST_CASE("global CMVN gives zero mean and unit variance", "[cmvn]") {
  FeatureMatrix m = RandomFeats(400, 8, 3);
  CmvnStats stats;
  stats.Accumulate(m);
  Cmvn(stats).Apply(&m);
  CmvnStats after;
  after.Accumulate(m);
  for (int d = 0; d < 8; ++d) {
    CHECK(std::fabs(after.Mean()[d]) < 1e-5);
    CHECK(after.Variance()[d] == Approx(1.0).epsilon(1e-4));
  }
}

TEST_CASE("CMVN without variance normalization only removes the mean", "[cmvn]") {
  FeatureMatrix m = RandomFeats(200, 4, 8);
  const FeatureMatrix original = m;
  CmvnOptions opts;
  opts.norm_vars = false;
  ApplyUtteranceCmvn(&m, opts);
  CmvnStats before, after;
  before.Accumulate(original);
  after.Accumulate(m);
  for (int d = 0; d < 4; ++d) {
    CHECK(std::fabs(after.Mean()[d]) < 1e-5);
    CHECK(after.Variance()[d] == Approx(before.Variance()[d]).epsilon(1e-4));
  }
  opts.norm_means = false;
  opts.norm_vars = true;
  CHECK_THROWS_AS(ApplyUtteranceCmvn(&m, opts), Error);
}

TEST_CASE("CMVN statistics survive a save/load round trip", "[cmvn]") {
  test::TempDir tmp;
  CmvnStats stats;
  stats.Accumulate(RandomFeats(123, 80, 4));
  stats.Save(tmp.File("cmvn.txt"));
  CmvnStats loaded = CmvnStats::Load(tmp.File("cmvn.txt"));
  REQUIRE(loaded.dim() == 80);
  CHECK(loaded.count() == stats.count());
  for (int d = 0; d < 80; ++d) {
    CHECK(loaded.sum()[d] == stats.sum()[d]);  // %.17g round-trips doubles exactly
    CHECK(loaded.sum_sq()[d] == stats.sum_sq()[d]);
  }
}

TEST_CASE("CMVN reads Kaldi's text stats, with a key or without", "[cmvn]") {
  test::TempDir tmp;
  // compute-cmvn-stats --binary=false output for 2 frames of [1 2] and [3 6].
  std::ofstream(tmp.File("global.txt")) << " [\n  4 8 2\n  10 40 0 ]\n";
  std::ofstream(tmp.File("cmvn.ark")) << "spk1  [\n  4 8 2\n  10 40 0 ]\n";
  for (const char* name : {"global.txt", "cmvn.ark"}) {
    CmvnStats s = CmvnStats::Load(tmp.File(name));
    REQUIRE(s.dim() == 2);
    CHECK(s.Mean() == std::vector<double>{2.0, 4.0});
    CHECK(s.Variance() == std::vector<double>{1.0, 4.0});
  }
}

TEST_CASE("CMVN rejects bad files with the file name", "[cmvn]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("bad1.txt")) << "hello";
  std::ofstream(tmp.File("bad2.txt")) << "[ 1 2 3\n 4 5 ]";
  std::ofstream(tmp.File("bad3.txt")) << "[ 1 2 0\n 4 5 0 ]";
  std::ofstream(tmp.File("bad4.txt")) << "[ 1 x 2\n 4 5 0 ]";
  for (const char* name : {"bad1.txt", "bad2.txt", "bad3.txt", "bad4.txt", "missing.txt"}) {
    INFO(name);
    CHECK_THROWS_WITH(CmvnStats::Load(tmp.File(name)), Catch::Contains(name));
  }
  CmvnStats stats(3);
  CHECK_THROWS_AS(stats.Accumulate(RandomFeats(2, 4, 1)), Error);
}

// Found by fuzz/model_dir_fuzzer: "nan" and "inf" parse as numbers, and such
// statistics used to load and normalize every feature to NaN.
TEST_CASE("CMVN rejects NaN and infinite statistics", "[cmvn]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("nan.txt")) << "[ nan 1 2\n 4 5 0 ]";
  std::ofstream(tmp.File("inf_count.txt")) << "[ 1 2 inf\n 4 5 0 ]";
  std::ofstream(tmp.File("overflow.txt")) << "[ 1 2 3\n 1e400 5 0 ]";
  for (const char* name : {"nan.txt", "inf_count.txt", "overflow.txt"}) {
    INFO(name);
    CHECK_THROWS_WITH(CmvnStats::Load(tmp.File(name)),
                      Catch::Contains(name) && Catch::Contains("not a finite number"));
  }
}

// Found by fuzz/model_dir_fuzzer: finite statistics too large for the float
// offsets (a sum of 4e60) normalized every feature to -inf.
TEST_CASE("CMVN rejects statistics that overflow float features", "[cmvn]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("huge_mean.txt")) << "[ 4e60 1 2\n 4 5 0 ]";
  std::ofstream(tmp.File("huge_ratio.txt")) << "[ 2e30 1 2\n 2e60 5 0 ]";
  for (const char* name : {"huge_mean.txt", "huge_ratio.txt"}) {
    INFO(name);
    CHECK_THROWS_WITH(CmvnStats::Load(tmp.File(name)),
                      Catch::Contains(name) && Catch::Contains("out of range in dimension 0"));
  }
  std::ofstream(tmp.File("large.txt")) << "[ 2e12 2\n 4e24 0 ]";  // e.g. power spectra
  CHECK(CmvnStats::Load(tmp.File("large.txt")).dim() == 1);
}

}  // namespace
}  // namespace verbatim
