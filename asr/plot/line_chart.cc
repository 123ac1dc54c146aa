// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/plot/line_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kMarginLeft = 64.0;    // px: y tick labels and the y label
constexpr double kMarginTop = 26.0;     // px: title
constexpr double kMarginBottom = 42.0;  // px: x tick labels and the x label
constexpr double kFont = 11.0;          // px

std::string TickLabel(double v) {
  char buf[32];
  if (v != 0.0 && (std::fabs(v) < 1e-3 || std::fabs(v) >= 1e5))
    std::snprintf(buf, sizeof(buf), "%.1e", v);
  else
    std::snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool Empty() const { return lo > hi; }
  // Widens a degenerate range so that it can be drawn.
  void Open(double pad_fraction) {
    if (Empty()) lo = 0, hi = 1;
    if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {
      const double d = std::max(std::fabs(lo) * 0.1, 0.5);
      lo -= d, hi += d;
    }
    const double pad = (hi - lo) * pad_fraction;
    lo -= pad, hi += pad;
  }
};

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target) {
  Check(lo < hi && std::isfinite(lo) && std::isfinite(hi), "NiceTicks: need finite lo < hi");
  // The smallest step of the ladder 1, 2, 5 x 10^k that is at least
  // (hi - lo) / target, then smaller ones while fewer than two ticks fit.
  const double raw = (hi - lo) / std::max(1, target);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double kMantissas[] = {1.0, 2.0, 5.0};
  int m = 0;
  while (kMantissas[m] * power < raw) {
    if (++m == 3) m = 0, power *= 10.0;
  }
  std::vector<double> ticks;
  while (true) {
    const double step = kMantissas[m] * power;
    ticks.clear();
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
      ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    if (ticks.size() >= 2) return ticks;
    if (--m < 0) m = 2, power /= 10.0;
  }
}

void LineChart::Add(ChartSeries series) {
  Check(series.x.size() == series.y.size(), "chart '" + opts_.title + "': series '" + series.name +
                                                "' has " + std::to_string(series.x.size()) +
                                                " x values and " + std::to_string(series.y.size()) +
                                                " y values");
  series_.push_back(std::move(series));
}

bool LineChart::Drawable(double x, double y) const {
  return std::isfinite(x) && std::isfinite(y) && (!opts_.log_y || y > 0);
}

bool LineChart::HasData() const {
  for (const auto& s : series_)
    for (size_t i = 0; i < s.x.size(); ++i)
      if (Drawable(s.x[i], s.y[i])) return true;
  return false;
}

void LineChart::Draw(SvgDocument* doc, double left_px, double top_px) const {
  const double plot_x = left_px + kMarginLeft, plot_y = top_px + kMarginTop;
  const double plot_w = std::max(20.0, opts_.width_px - kMarginLeft - opts_.legend_px);
  const double plot_h = std::max(20.0, opts_.height_px - kMarginTop - kMarginBottom);
  auto ty = [&](double y) { return opts_.log_y ? std::log10(y) : y; };

  Range xr, yr;
  for (const auto& s : series_)
    for (size_t i = 0; i < s.x.size(); ++i)
      if (Drawable(s.x[i], s.y[i])) xr.Add(s.x[i]), yr.Add(ty(s.y[i]));
  xr.Open(0.0);
  yr.Open(0.05);
  auto px = [&](double x) { return plot_x + (x - xr.lo) / (xr.hi - xr.lo) * plot_w; };
  auto py = [&](double y) { return plot_y + plot_h - (ty(y) - yr.lo) / (yr.hi - yr.lo) * plot_h; };

  doc->BeginGroup("chart");
  const SvgStroke grid{"#dddddd", 1.0, ""}, axis{"#333333", 1.0, ""};
  SvgText tick_text;
  tick_text.size_px = kFont;
  // y ticks: round numbers on a linear axis, powers of ten (or round numbers
  // of log10 when the range is under a decade) on a log axis.
  std::vector<double> yticks = NiceTicks(yr.lo, yr.hi, opts_.y_ticks);
  if (opts_.log_y && yr.hi - yr.lo >= 1.0) {
    yticks.clear();
    for (double e = std::ceil(yr.lo); e <= yr.hi; e += 1.0) yticks.push_back(e);
  }
  tick_text.anchor = "end";
  for (double t : yticks) {
    const double v = opts_.log_y ? std::pow(10.0, t) : t;
    const double y = py(v);
    doc->Line(plot_x, y, plot_x + plot_w, y, grid);
    doc->Text(plot_x - 5, y + kFont * 0.35, TickLabel(v), tick_text);
  }
  tick_text.anchor = "middle";
  for (double t : NiceTicks(xr.lo, xr.hi, opts_.x_ticks)) {
    const double x = px(t);
    doc->Line(x, plot_y, x, plot_y + plot_h, grid);
    doc->Text(x, plot_y + plot_h + kFont + 4, TickLabel(t), tick_text);
  }
  doc->Line(plot_x, plot_y + plot_h, plot_x + plot_w, plot_y + plot_h, axis);
  doc->Line(plot_x, plot_y, plot_x, plot_y + plot_h, axis);

  SvgText label;
  label.size_px = 12.0;
  label.anchor = "middle";
  doc->Text(plot_x + plot_w / 2, plot_y + plot_h + kMarginBottom - 8, opts_.x_label, label);
  label.rotate_deg = -90.0;
  doc->Text(left_px + 14, plot_y + plot_h / 2, opts_.y_label, label);
  label.rotate_deg = 0.0;
  label.bold = true;
  label.size_px = 13.0;
  doc->Text(plot_x + plot_w / 2, top_px + 17, opts_.title, label);

  // Data, then the legend.
  SvgText legend_text;
  legend_text.size_px = kFont;
  double legend_y = plot_y + 8;
  for (const auto& s : series_) {
    SvgStroke stroke{s.color, 1.5, s.dashed ? "5 3" : ""};
    if (s.markers) {
      for (size_t i = 0; i < s.x.size(); ++i)
        if (Drawable(s.x[i], s.y[i])) doc->Circle(px(s.x[i]), py(s.y[i]), 3.0, s.color, s.name);
    } else {
      std::vector<std::pair<double, double>> segment;
      for (size_t i = 0; i <= s.x.size(); ++i) {
        if (i < s.x.size() && Drawable(s.x[i], s.y[i])) {
          segment.emplace_back(px(s.x[i]), py(s.y[i]));
          continue;
        }
        if (!segment.empty()) doc->Polyline(segment, stroke, s.name);
        segment.clear();
      }
    }
    const double lx = plot_x + plot_w + 12;
    if (s.markers)
      doc->Circle(lx + 10, legend_y - 4, 3.0, s.color);
    else
      doc->Line(lx, legend_y - 4, lx + 20, legend_y - 4, stroke);
    doc->Text(lx + 26, legend_y, s.name, legend_text);
    legend_y += 16;
  }
  doc->EndGroup();
}

}  // namespace verbatim
