// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/plot/training_curves.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "asr/plot/line_chart.h"
#include "base/error.h"

namespace verbatim {
namespace {

constexpr double kTitlePx = 28.0;  // px above the panels for the title
const double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Metric {
  const char* key;
  const char* label;
  const char* color;
};
constexpr Metric kLosses[] = {{"loss", "loss", "#1f77b4"},
                              {"ctc", "ctc", "#ff7f0e"},
                              {"attention", "attention", "#2ca02c"},
                              {"guided", "guided", "#d62728"}};

// One series from `records`; `dev` reads validation names (dev_<key> or <key>).
ChartSeries Series(const std::vector<FlatJsonObject>& records, const std::string& key,
                   const std::string& name, const std::string& color, bool dev) {
  ChartSeries s;
  s.name = name;
  s.color = color;
  s.markers = dev;
  for (const FlatJsonObject& r : records) {
    const std::optional<double> v = dev ? DevValue(r, key) : r.Number(key);
    s.x.push_back(*r.Number("step"));  // ReadTrainingLog checked it
    s.y.push_back(v ? *v : kNaN);
  }
  return s;
}

bool AnyNonZero(const ChartSeries& s) {
  for (double v : s.y)
    if (std::isfinite(v) && v != 0.0) return true;
  return false;
}

bool AnyFinite(const ChartSeries& s) {
  for (double v : s.y)
    if (std::isfinite(v)) return true;
  return false;
}

LineChart Panel(const TrainingCurvesOptions& opts, const std::string& title,
                const std::string& y_label) {
  LineChartOptions o;
  o.title = title;
  o.x_label = "optimizer step";
  o.y_label = y_label;
  o.width_px = opts.width_px;
  o.height_px = opts.panel_height_px;
  return LineChart(o);
}

}  // namespace

SvgDocument PlotTrainingCurves(const TrainingLogRecords& log, const TrainingCurvesOptions& opts) {
  Check(!log.steps.empty() || !log.epochs.empty(), "training log: no step and no epoch record");
  std::vector<LineChart> panels;

  LineChart losses = Panel(opts, "Losses (lines: training, dots: validation)", "loss");
  if (opts.log_loss) {
    LineChartOptions o = losses.options();
    o.log_y = true;
    losses = LineChart(o);
  }
  for (const bool dev : {false, true}) {
    for (const Metric& m : kLosses) {
      ChartSeries s = Series(dev ? log.epochs : log.steps, m.key,
                             std::string(dev ? "dev " : "train ") + m.label, m.color, dev);
      // The guided-attention loss is 0 when off: leave it out then.
      if (std::string(m.key) == "guided" ? AnyNonZero(s) : AnyFinite(s)) losses.Add(std::move(s));
    }
  }
  panels.push_back(std::move(losses));

  LineChart accuracy = Panel(opts, "Token accuracy (attention decoder)", "accuracy");
  accuracy.Add(Series(log.steps, "accuracy", "train accuracy", "#1f77b4", false));
  accuracy.Add(Series(log.epochs, "accuracy", "dev accuracy", "#d62728", true));
  panels.push_back(std::move(accuracy));

  LineChart lr = Panel(opts, "Learning rate", "learning rate");
  lr.Add(Series(log.steps, "lr", "lr", "#9467bd", false));
  panels.push_back(std::move(lr));

  LineChart errors = Panel(opts, "Validation error rate", "%");
  for (const char* key : {"wer", "cer"}) {
    ChartSeries s = Series(log.epochs, key, std::string("dev ") + key,
                           key[0] == 'w' ? "#1f77b4" : "#ff7f0e", true);
    if (AnyFinite(s)) errors.Add(std::move(s));
  }
  if (errors.HasData()) panels.push_back(std::move(errors));

  // Panels without any point (e.g. lr of a log with epochs only) are left out.
  std::vector<const LineChart*> drawn;
  for (const LineChart& p : panels)
    if (p.HasData()) drawn.push_back(&p);
  SvgDocument doc(opts.width_px,
                  kTitlePx + opts.panel_height_px * std::max<size_t>(1, drawn.size()));
  SvgText title;
  title.size_px = 14.0;
  title.bold = true;
  doc.Text(10, 19, opts.title, title);
  for (size_t i = 0; i < drawn.size(); ++i)
    drawn[i]->Draw(&doc, 0.0, kTitlePx + i * opts.panel_height_px);
  return doc;
}

}  // namespace verbatim
