// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Tick placement, gaps for non-finite values and log axes of LineChart.
#include "asr/plot/line_chart.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "tests/asr/plot/svg_inspector.h"

namespace verbatim {
namespace {

TEST_CASE("NiceTicks are round, evenly spaced and cover the range", "[plot][chart]") {
  const std::pair<double, double> ranges[] = {{0, 1},       {0.013, 0.0171}, {-3.2, 47},
                                              {1e-5, 3e-4}, {100, 100000},   {-7, -6.5}};
  for (const auto& r : ranges) {
    for (const int target : {2, 5, 8}) {
      INFO(r.first << " .. " << r.second << ", target " << target);
      const std::vector<double> t = NiceTicks(r.first, r.second, target);
      REQUIRE(t.size() >= 2);
      CHECK(static_cast<int>(t.size()) <= 2 * target + 2);
      const double step = t[1] - t[0];
      // step = m x 10^k with m in {1, 2, 5}
      const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
      CHECK((std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6));
      for (size_t i = 0; i < t.size(); ++i) {
        CHECK(t[i] >= r.first - step * 1e-6);
        CHECK(t[i] <= r.second + step * 1e-6);
        CHECK(std::fabs(std::remainder(t[i], step)) < step * 1e-6);  // a multiple of the step
        if (i > 0) CHECK(t[i] - t[i - 1] == Approx(step));
      }
      // No room for one more tick on either side.
      CHECK(t.front() - step < r.first + step * 1e-6);
      CHECK(t.back() + step > r.second - step * 1e-6);
    }
  }
  CHECK_THROWS_AS(NiceTicks(1, 1, 5), Error);
}

TEST_CASE("LineChart leaves gaps for non-finite values and non-positive log values",
          "[plot][chart]") {
  test::TempDir tmp;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LineChartOptions o;
  o.title = "t";
  o.log_y = true;
  LineChart chart(o);
  chart.Add({"a", {1, 2, 3, 4, 5, 6}, {1, 10, nan, 100, 0, 1000}, "red", false, false});
  chart.Add({"b", {1, 2, 3}, {0.5, -1, HUGE_VAL}, "blue", true, false});
  CHECK(chart.HasData());
  CHECK_THROWS_AS(chart.Add({"c", {1, 2}, {1}, "red", false, false}), Error);
  SvgDocument doc(o.width_px, o.height_px);
  chart.Draw(&doc, 0, 0);
  doc.Save(tmp.File("c.svg"));
  const test::SvgSummary s = test::InspectSvg(tmp.File("c.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.points.at("a") == 4);  // 1, 10 | 100 | 1000
  CHECK(s.points.at("b") == 1);  // 0.5 only
  // Log ticks at powers of ten: labels 1, 10, 100, 1000 are drawn.
  for (const char* label : {"1", "10", "100", "1000"})
    CHECK(std::find(s.texts.begin(), s.texts.end(), label) != s.texts.end());

  LineChart empty(o);
  empty.Add({"z", {1}, {nan}, "red", false, false});
  CHECK(!empty.HasData());
}

}  // namespace
}  // namespace verbatim
