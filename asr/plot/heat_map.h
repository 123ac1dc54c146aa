// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A heat map of a matrix (rows top to bottom, columns left to right) as an
// SVG: one cell per value on a perceptually ordered colour scale (dark blue
// for low through green to yellow for high, after viridis), axes, optional
// row labels (e.g. the tokens of a decoder) and a colour bar.
#pragma once

#include <string>
#include <vector>

#include "asr/plot/svg_document.h"

namespace verbatim {

struct HeatMapOptions {
  std::string title, x_label, y_label;
  double cell_width_px = 4.0;    // px per column (shrunk to fit max_width_px)
  double cell_height_px = 14.0;  // px per row (shrunk to fit max_height_px)
  double max_width_px = 1400.0;  // px, the matrix area at most
  double max_height_px = 900.0;  // px
  // Column tick labels are column index x column_scale (e.g. 0.04 s per
  // encoder frame); 1 = plain indices.
  double column_scale = 1.0;
  std::vector<std::string> row_labels;  // one per row, or empty
  // Colour scale limits; both 0 = the matrix's own minimum and maximum.
  double min_value = 0.0, max_value = 0.0;
};

// An sRGB colour "#rrggbb" for t in [0, 1] (clamped) on the scale above.
std::string HeatColor(double t);

// `values` is rows x cols, row-major. Throws Error for an empty matrix or a
// size mismatch.
SvgDocument DrawHeatMap(const std::vector<float>& values, int rows, int cols,
                        const HeatMapOptions& opts);

}  // namespace verbatim
