// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/plot/heat_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "asr/plot/line_chart.h"
#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kLeft = 110.0;   // px: row labels and y label
constexpr double kTop = 34.0;     // px: title
constexpr double kBottom = 46.0;  // px: column ticks and x label
constexpr double kRight = 90.0;   // px: colour bar

// viridis (matplotlib's default colour map) sampled at t = 0, 0.125, ..., 1 (sRGB).
constexpr unsigned char kScale[9][3] = {{68, 1, 84},    {71, 45, 123},  {59, 82, 139},
                                        {44, 114, 142}, {33, 144, 140}, {39, 173, 129},
                                        {93, 200, 99},  {170, 220, 50}, {253, 231, 37}};

std::string Label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

}  // namespace

std::string HeatColor(double t) {
  if (!std::isfinite(t)) t = 0.0;
  t = std::clamp(t, 0.0, 1.0) * 8.0;
  const int i = std::min(7, static_cast<int>(t));
  const double f = t - i;
  char buf[8];
  int c[3];
  for (int k = 0; k < 3; ++k)
    c[k] = static_cast<int>(std::lround(kScale[i][k] + f * (kScale[i + 1][k] - kScale[i][k])));
  std::snprintf(buf, sizeof(buf), "#%02x%02x%02x", c[0], c[1], c[2]);
  return buf;
}

SvgDocument DrawHeatMap(const std::vector<float>& values, int rows, int cols,
                        const HeatMapOptions& opts) {
  Check(rows > 0 && cols > 0, "heat map: empty matrix");
  Check(values.size() == static_cast<size_t>(rows) * cols,
        "heat map: " + std::to_string(values.size()) + " values for " + std::to_string(rows) +
            " x " + std::to_string(cols));
  Check(opts.row_labels.empty() || static_cast<int>(opts.row_labels.size()) == rows,
        "heat map: " + std::to_string(opts.row_labels.size()) + " row labels for " +
            std::to_string(rows) + " rows");
  double lo = opts.min_value, hi = opts.max_value;
  if (lo == 0.0 && hi == 0.0) {
    lo = *std::min_element(values.begin(), values.end());
    hi = *std::max_element(values.begin(), values.end());
  }
  if (!(hi > lo)) hi = lo + 1.0;

  const double cw = std::min(opts.cell_width_px, opts.max_width_px / cols);
  const double ch = std::min(opts.cell_height_px, opts.max_height_px / rows);
  const double w = cw * cols, h = ch * rows;
  SvgText title;
  title.bold = true;
  // As wide as the title needs: a long one (file name, layer, head) must not be cut off.
  const double width = std::max(kLeft + std::max(w, 200.0) + kRight,
                                kLeft + EstimateTextWidthPx(opts.title, title) + 10);
  SvgDocument doc(width, kTop + std::max(h, 60.0) + kBottom);
  doc.BeginGroup("heat-map");
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      doc.Rect(kLeft + c * cw, kTop + r * ch, cw + 0.02, ch + 0.02,  // overlap: no seams
               HeatColor((values[static_cast<size_t>(r) * cols + c] - lo) / (hi - lo)));
  doc.EndGroup();

  SvgText text;
  text.size_px = 10.0;
  text.anchor = "end";
  // Row labels when they fit, else row numbers every few rows.
  const int row_step = ch >= 9.0 ? 1 : static_cast<int>(std::ceil(9.0 / ch));
  for (int r = 0; r < rows; r += row_step) {
    const std::string label =
        (!opts.row_labels.empty() && row_step == 1) ? opts.row_labels[r] : std::to_string(r);
    doc.Text(kLeft - 4, kTop + (r + 0.5) * ch + 3.5, label, text);
  }
  text.anchor = "middle";
  const SvgStroke tick{"#333333", 1.0, ""};
  const double max_x = cols * opts.column_scale;
  for (double t : NiceTicks(0.0, max_x, std::max(2, static_cast<int>(w / 80)))) {
    const double x = kLeft + t / opts.column_scale * cw;
    doc.Line(x, kTop + h, x, kTop + h + 4, tick);
    doc.Text(x, kTop + h + 15, Label(t), text);
  }
  SvgText label;
  label.anchor = "middle";
  doc.Text(kLeft + w / 2, kTop + h + 36, opts.x_label, label);
  label.rotate_deg = -90.0;
  doc.Text(14, kTop + h / 2, opts.y_label, label);
  doc.Text(kLeft, 20, opts.title, title);

  // Colour bar.
  const double bx = kLeft + std::max(w, 200.0) + 24, bh = std::max(h, 60.0);
  constexpr int kSteps = 32;
  for (int i = 0; i < kSteps; ++i)
    doc.Rect(bx, kTop + bh - (i + 1) * bh / kSteps, 14, bh / kSteps + 0.02,
             HeatColor((i + 0.5) / kSteps));
  text.anchor = "start";
  doc.Text(bx + 18, kTop + 8, Label(hi), text);
  doc.Text(bx + 18, kTop + bh, Label(lo), text);
  return doc;
}

}  // namespace verbatim
