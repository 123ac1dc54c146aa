// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/plot/svg_document.h"

#include <cstdio>

#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

// Coordinates with 0.01 px resolution: exact enough, and short.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string StrokeAttributes(const SvgStroke& s) {
  std::string a = " stroke=\"" + XmlEscape(s.color) + "\" stroke-width=\"" + Num(s.width_px) + "\"";
  if (!s.dash.empty()) a += " stroke-dasharray=\"" + XmlEscape(s.dash) + "\"";
  return a;
}

std::string SeriesAttribute(const std::string& series) {
  return series.empty() ? "" : " data-series=\"" + XmlEscape(series) + "\"";
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

double EstimateTextWidthPx(const std::string& text, const SvgText& style) {
  size_t characters = 0;  // UTF-8 code points: count the bytes that do not continue one
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  // Average advance of DejaVu Sans (what rsvg-convert uses here) over mixed
  // text: about 0.55 em regular and 0.6 em bold; a little more for margin.
  return double(characters) * style.size_px * (style.bold ? 0.64 : 0.58);
}

SvgDocument::SvgDocument(double width_px, double height_px)
    : width_px_(width_px), height_px_(height_px) {
  Check(width_px > 0 && height_px > 0, "SVG: the canvas must have a positive size");
}

void SvgDocument::Rect(double x, double y, double w, double h, const std::string& fill,
                       const SvgStroke* stroke) {
  body_ += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) + "\" height=\"" +
           Num(h) + "\" fill=\"" + XmlEscape(fill) + "\"" +
           (stroke ? StrokeAttributes(*stroke) : std::string()) + "/>\n";
}

void SvgDocument::Line(double x1, double y1, double x2, double y2, const SvgStroke& stroke) {
  body_ += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" +
           Num(y2) + "\"" + StrokeAttributes(stroke) + "/>\n";
}

void SvgDocument::Polyline(const std::vector<std::pair<double, double>>& points,
                           const SvgStroke& stroke, const std::string& series) {
  std::string list;
  for (const auto& p : points)
    list += (list.empty() ? "" : " ") + Num(p.first) + "," + Num(p.second);
  body_ += "<polyline fill=\"none\"" + StrokeAttributes(stroke) + SeriesAttribute(series) +
           " stroke-linejoin=\"round\" points=\"" + list + "\"/>\n";
}

void SvgDocument::Circle(double cx, double cy, double r, const std::string& fill,
                         const std::string& series) {
  body_ += "<circle cx=\"" + Num(cx) + "\" cy=\"" + Num(cy) + "\" r=\"" + Num(r) + "\" fill=\"" +
           XmlEscape(fill) + "\"" + SeriesAttribute(series) + "/>\n";
}

void SvgDocument::Text(double x, double y, const std::string& text, const SvgText& style) {
  body_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" font-size=\"" + Num(style.size_px) +
           "\" text-anchor=\"" + XmlEscape(style.anchor) + "\" fill=\"" + XmlEscape(style.color) +
           "\"";
  if (style.bold) body_ += " font-weight=\"bold\"";
  if (style.rotate_deg != 0.0)
    body_ += " transform=\"rotate(" + Num(style.rotate_deg) + " " + Num(x) + " " + Num(y) + ")\"";
  body_ += ">" + XmlEscape(text) + "</text>\n";
}

void SvgDocument::BeginGroup(const std::string& css_class) {
  body_ += "<g class=\"" + XmlEscape(css_class) + "\">\n";
  ++open_groups_;
}

void SvgDocument::EndGroup() {
  Check(open_groups_ > 0, "SVG: EndGroup without BeginGroup");
  body_ += "</g>\n";
  --open_groups_;
}

std::string SvgDocument::ToString() const {
  Check(open_groups_ == 0, "SVG: a group is still open");
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
         Num(width_px_) + "\" height=\"" + Num(height_px_) + "\" viewBox=\"0 0 " + Num(width_px_) +
         " " + Num(height_px_) +
         "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" +
         body_ + "</svg>\n";
}

void SvgDocument::Save(const std::string& path) const {
  const std::string text = ToString();
  AtomicOutputFile out(path);
  out.stream() << text;
  out.Commit();
}

}  // namespace verbatim
