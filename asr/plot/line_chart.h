// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A line chart panel drawn into an SvgDocument: axes with round-number ticks
// (linear or log10 y), grid, title, axis labels and a legend on the right.
// Series are lines or markers; non-finite values (and values <= 0 on a log
// axis) leave a gap instead of breaking the chart.
#pragma once

#include <string>
#include <vector>

#include "asr/plot/svg_document.h"

namespace verbatim {

struct ChartSeries {
  std::string name;          // legend text; also written as data-series
  std::vector<double> x, y;  // data units, equal lengths
  std::string color = "#1f77b4";
  bool markers = false;  // draw points as circles instead of a line
  bool dashed = false;   // dashed line
};

struct LineChartOptions {
  std::string title, x_label, y_label;
  double width_px = 640.0;   // px, the whole panel (axes, labels and legend included)
  double height_px = 300.0;  // px
  double legend_px = 150.0;  // px, width kept on the right for the legend
  bool log_y = false;        // log10 y axis
  int x_ticks = 6;           // ticks wanted on x (the nearest round steps are used)
  int y_ticks = 5;           // ticks wanted on y
};

// Round tick values (1, 2 or 5 x 10^k steps) covering [lo, hi], about
// `target` of them; lo < hi.
std::vector<double> NiceTicks(double lo, double hi, int target);

class LineChart {
 public:
  explicit LineChart(LineChartOptions opts) : opts_(std::move(opts)) {}

  // Throws Error when x and y differ in length.
  void Add(ChartSeries series);
  // True when some series has a drawable point.
  bool HasData() const;
  // Draws the panel with its top left corner at (left_px, top_px).
  void Draw(SvgDocument* doc, double left_px, double top_px) const;

  const LineChartOptions& options() const { return opts_; }

 private:
  bool Drawable(double x, double y) const;
  LineChartOptions opts_;
  std::vector<ChartSeries> series_;
};

}  // namespace verbatim
