// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// SvgDocument writes well-formed XML (checked by Python's minidom) in which
// text survives escaping and data series can be found again.
#include "asr/plot/svg_document.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "tests/asr/plot/svg_inspector.h"

namespace verbatim {
namespace {

TEST_CASE("SvgDocument is well-formed XML and keeps text and series", "[plot][svg]") {
  test::TempDir tmp;
  SvgDocument doc(200, 100);
  doc.BeginGroup("a<b");
  doc.Rect(1, 2, 3, 4, "#ff0000");
  const SvgStroke stroke{"blue", 2.0, "3 1"};
  doc.Rect(1, 2, 3, 4, "none", &stroke);
  doc.Line(0, 0, 10, 10, stroke);
  doc.Polyline({{0, 0}, {1.005, 2}, {3, -4.25}}, stroke, "loss \"train\" & <dev>");
  doc.Circle(5, 5, 2, "green", "dots");
  doc.Circle(6, 5, 2, "green", "dots");
  doc.EndGroup();
  SvgText rotated;
  rotated.rotate_deg = -90;
  rotated.bold = true;
  doc.Text(10, 20, "x < y & 'z' > \"w\"", rotated);
  doc.Text(10, 40, std::string("bell\x07"));
  doc.Save(tmp.File("a.svg"));

  const test::SvgSummary s = test::InspectSvg(tmp.File("a.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.rects == 3);  // two + the white background
  CHECK(s.points.at("loss \"train\" & <dev>") == 3);
  CHECK(s.points.at("dots") == 2);
  REQUIRE(s.texts.size() == 2);
  CHECK(s.texts[0] == "x < y & 'z' > \"w\"");
  CHECK(s.texts[1] == "bell ");  // control characters are not allowed in XML
}

TEST_CASE("SvgDocument refuses unbalanced groups and empty canvases", "[plot][svg]") {
  SvgDocument doc(10, 10);
  CHECK_THROWS_AS(doc.EndGroup(), Error);
  doc.BeginGroup("g");
  CHECK_THROWS_AS(doc.ToString(), Error);
  CHECK_THROWS_AS(SvgDocument(0, 10), Error);
  CHECK(XmlEscape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
}

}  // namespace
}  // namespace verbatim
