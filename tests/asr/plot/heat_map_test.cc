// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Heat map: one cell per value, the colour scale's ends and order.
#include "asr/plot/heat_map.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "tests/asr/plot/svg_inspector.h"

namespace verbatim {
namespace {

double Luminance(const std::string& hex) {
  const int r = std::stoi(hex.substr(1, 2), nullptr, 16),
            g = std::stoi(hex.substr(3, 2), nullptr, 16),
            b = std::stoi(hex.substr(5, 2), nullptr, 16);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

TEST_CASE("HeatColor runs from viridis' dark end to its bright end", "[plot][heat_map]") {
  // matplotlib's viridis colormap begins at #440154 and ends at #fde725.
  CHECK(HeatColor(0.0) == "#440154");
  CHECK(HeatColor(1.0) == "#fde725");
  CHECK(HeatColor(-3.0) == "#440154");
  CHECK(HeatColor(7.0) == "#fde725");
  double previous = -1.0;
  for (int i = 0; i <= 100; ++i) {
    const double l = Luminance(HeatColor(i / 100.0));
    CHECK(l > previous - 1e-9);  // brighter as values rise: the order reads at a glance
    previous = l;
  }
}

TEST_CASE("EstimateTextWidthPx counts characters, not bytes", "[plot][heat_map]") {
  SvgText style;
  CHECK(EstimateTextWidthPx("\u2581THE", style) == Approx(EstimateTextWidthPx("_THE", style)));
  CHECK(EstimateTextWidthPx("abcd", style) == Approx(2 * EstimateTextWidthPx("ab", style)));
  style.size_px = 24;
  CHECK(EstimateTextWidthPx("ab", style) > 24);  // two characters of a 24 px font
}

TEST_CASE("DrawHeatMap draws one cell per value", "[plot][heat_map]") {
  test::TempDir tmp;
  const int rows = 5, cols = 37;
  std::vector<float> v(rows * cols);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 11);
  HeatMapOptions o;
  o.title = "att <layer 0>";
  o.row_labels = {"▁THE", "RE", "&", "<x>", "<eos>"};
  o.column_scale = 0.04;
  DrawHeatMap(v, rows, cols, o).Save(tmp.File("h.svg"));
  const test::SvgSummary s = test::InspectSvg(tmp.File("h.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.rects == 1 + rows * cols + 32);  // background, cells, colour bar
  CHECK(std::find(s.texts.begin(), s.texts.end(), "<x>") != s.texts.end());
  CHECK(std::find(s.texts.begin(), s.texts.end(), "att <layer 0>") != s.texts.end());

  // A title longer than the map widens the canvas instead of being cut off.
  SvgText bold;
  bold.bold = true;
  o.title = "LJ001-0001.flac: layer 2, head 3, " + std::string(200, 'x');
  const SvgDocument wide = DrawHeatMap(v, rows, cols, o);
  CHECK(wide.width_px() >= 110 + EstimateTextWidthPx(o.title, bold));
  CHECK(wide.width_px() > DrawHeatMap(v, rows, cols, HeatMapOptions{}).width_px() + 1000);

  CHECK_THROWS_AS(DrawHeatMap(v, rows, cols + 1, o), Error);
  o.row_labels.pop_back();
  CHECK_THROWS_AS(DrawHeatMap(v, rows, cols, o), Error);
  CHECK_THROWS_AS(DrawHeatMap({}, 0, 0, HeatMapOptions{}), Error);
}

}  // namespace
}  // namespace verbatim
