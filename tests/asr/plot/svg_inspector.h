// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Test helper: parses an SVG file with Python's xml.dom.minidom (an
// independent XML parser) and counts what was drawn: data points per
// data-series name (polyline points and circles), rectangles, texts.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/test_util.h"

namespace verbatim {
namespace test {

struct SvgSummary {
  bool well_formed = false;
  std::string error;                  // the parser's message when not well formed
  std::map<std::string, int> points;  // data-series -> points
  int rects = 0;
  std::vector<std::string> texts;  // text content of every <text>, in order
};

inline SvgSummary InspectSvg(const std::string& svg_path) {
  TempDir tmp;
  {
    std::ofstream script(tmp.File("inspect.py"));
    script << "import sys, xml.dom.minidom as m\n"
              "d = m.parse(sys.argv[1])\n"
              "assert d.documentElement.tagName == 'svg'\n"
              "print('ok')\n"
              "print('rects', len(d.getElementsByTagName('rect')))\n"
              "for tag in ('polyline', 'circle'):\n"
              "  for e in d.getElementsByTagName(tag):\n"
              "    s = e.getAttribute('data-series')\n"
              "    if not s: continue\n"
              "    n = len(e.getAttribute('points').split()) if tag == 'polyline' else 1\n"
              "    print('series', n, s)\n"
              "for e in d.getElementsByTagName('text'):\n"
              "  print('text', ''.join(c.data for c in e.childNodes).encode('unicode_escape')"
              ".decode())\n";
  }
  const std::string python = HaveProgram("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::string out;
  const int status = RunCommand(python + " " + tmp.File("inspect.py") + " " + svg_path, &out);
  SvgSummary s;
  if (status != 0) {
    s.error = out;
    return s;
  }
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string what;
    f >> what;
    if (what == "ok") s.well_formed = true;
    if (what == "rects") f >> s.rects;
    if (what == "series") {
      int n = 0;
      f >> n;
      std::string name;
      std::getline(f >> std::ws, name);
      s.points[name] += n;
    }
    if (what == "text") s.texts.push_back(line.size() > 5 ? line.substr(5) : "");
  }
  return s;
}

}  // namespace test
}  // namespace verbatim
