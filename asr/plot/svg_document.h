// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A small SVG 1.1 writer: rectangles, lines, polylines, circles and text on a
// canvas measured in pixels (origin top left, y down). Text is XML-escaped;
// every element may carry a `class` and a `data-series` name so tests and
// scripts can find the drawn data again. Enough for charts and heat maps;
// no dependency beyond the standard library.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace verbatim {

// `text` with &, <, >, " and ' replaced by XML entities.
std::string XmlEscape(const std::string& text);

struct SvgStroke {
  std::string color = "black";  // any SVG colour ("#1f77b4", "none", ...)
  double width_px = 1.0;        // px
  std::string dash;             // SVG dash array, e.g. "4 2" (px); empty: solid
};

struct SvgText {
  double size_px = 12.0;         // px, font size
  std::string anchor = "start";  // start | middle | end
  std::string color = "black";
  double rotate_deg = 0.0;  // degrees, clockwise about the anchor point
  bool bold = false;
};

// An upper estimate of the width (px) `text` takes in `style` with the
// viewer's sans-serif font (SVG cannot measure text before it is shown): for
// sizing a canvas so that a title is not cut off.
double EstimateTextWidthPx(const std::string& text, const SvgText& style);

class SvgDocument {
 public:
  SvgDocument(double width_px, double height_px);

  double width_px() const { return width_px_; }
  double height_px() const { return height_px_; }

  void Rect(double x, double y, double w, double h, const std::string& fill,
            const SvgStroke* stroke = nullptr);
  void Line(double x1, double y1, double x2, double y2, const SvgStroke& stroke);
  // An open polyline through `points` (x, y in px). `series` is written as
  // data-series (empty: none).
  void Polyline(const std::vector<std::pair<double, double>>& points, const SvgStroke& stroke,
                const std::string& series = "");
  void Circle(double cx, double cy, double r, const std::string& fill,
              const std::string& series = "");
  // `text` is plain UTF-8 (escaped here); (x, y) is the baseline anchor.
  void Text(double x, double y, const std::string& text, const SvgText& style = {});
  // Elements until EndGroup() go into <g class="css_class">.
  void BeginGroup(const std::string& css_class);
  void EndGroup();

  // The whole document (throws Error if a group is still open).
  std::string ToString() const;
  // Writes ToString() to `path` atomically.
  void Save(const std::string& path) const;

 private:
  double width_px_, height_px_;
  std::string body_;
  int open_groups_ = 0;
};

}  // namespace verbatim
