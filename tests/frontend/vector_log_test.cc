// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "frontend/vector_log.h"

namespace verbatim {
namespace {

float FromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

uint32_t ToBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

struct LogErrors {
  double max_ulp = 0.0;        // worst |ours - exact| in units of the exact log's float ulp
  double not_rounded = 0.0;    // fraction that differs from the correctly rounded float
  double glibc_max_ulp = 0.0;  // the same for std::log(float), for comparison
  long count = 0;
};

// Compares against the double-precision log, for the floats with bit patterns
// first, first + step, ... up to last.
LogErrors Measure(uint32_t first, uint32_t last, uint32_t step) {
  LogErrors e;
  long not_rounded = 0;
  std::vector<float> in, out;
  for (uint64_t b = first; b <= last; b += step) in.push_back(FromBits(static_cast<uint32_t>(b)));
  out = in;
  FlooredLogInPlace(out.data(), static_cast<int>(out.size()), FLT_MIN);
  for (size_t i = 0; i < in.size(); ++i) {
    const double exact = std::log(static_cast<double>(in[i]));
    const float rounded = static_cast<float>(exact);
    const double ulp = std::nextafter(std::fabs(rounded), INFINITY) - std::fabs(rounded);
    e.max_ulp = std::max(e.max_ulp, std::fabs(out[i] - exact) / ulp);
    e.glibc_max_ulp = std::max(e.glibc_max_ulp, std::fabs(std::log(in[i]) - exact) / ulp);
    not_rounded += out[i] != rounded;
  }
  e.count = static_cast<long>(in.size());
  e.not_rounded = static_cast<double>(not_rounded) / e.count;
  return e;
}

TEST_CASE("vector log is within 1 ulp everywhere", "[fbank][log]") {
  SECTION("every float in [0.5, 2), around the range reduction's seams") {
    const LogErrors e = Measure(ToBits(0.5f), ToBits(2.0f) - 1, 1);
    INFO("max " << e.max_ulp << " ulp (std::log " << e.glibc_max_ulp << "), not correctly rounded "
                << e.not_rounded);
    CHECK(e.count == (1 << 24));
    CHECK(e.max_ulp < 1.0);
    // Near x = 1 the log is small and the rounding of its f^2 term shows
    // (measured 4.1%; std::log 0.05%).
    CHECK(e.not_rounded < 0.05);
  }
  SECTION("a sample of all positive normal floats") {
    const LogErrors e = Measure(ToBits(FLT_MIN), ToBits(FLT_MAX), 101);
    INFO("max " << e.max_ulp << " ulp (std::log " << e.glibc_max_ulp << "), not correctly rounded "
                << e.not_rounded);
    CHECK(e.count > 20000000);
    CHECK(e.max_ulp < 1.0);
    CHECK(e.not_rounded < 0.005);  // measured 0.11%
  }
}

TEST_CASE("vector log floors, passes inf and NaN, and ignores the position", "[fbank][log]") {
  const float eps = std::numeric_limits<float>::epsilon();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {
      0.0f, -1.0f, -inf, 1e-40f, eps / 2, eps, 1.0f, inf, std::numeric_limits<float>::quiet_NaN()};
  FlooredLogInPlace(x.data(), static_cast<int>(x.size()), eps);
  const float log_eps = x[5];
  CHECK(log_eps == Approx(std::log(eps)).epsilon(1e-7));
  for (int i = 0; i < 5; ++i) CHECK(x[i] == log_eps);
  CHECK(x[6] == 0.0f);
  CHECK(x[7] == inf);
  CHECK(std::isnan(x[8]));

  // Vectorized body and scalar tail give the same bits.
  std::vector<float> values;
  for (int i = 0; i < 83; ++i) values.push_back(std::exp(0.37f * i - 9.0f) * (1.0f + 1e-3f * i));
  std::vector<float> together = values;
  FlooredLogInPlace(together.data(), static_cast<int>(together.size()), eps);
  for (size_t i = 0; i < values.size(); ++i) {
    float alone = values[i];
    FlooredLogInPlace(&alone, 1, eps);
    INFO("value " << values[i]);
    CHECK(ToBits(alone) == ToBits(together[i]));
  }
}

}  // namespace
}  // namespace verbatim
