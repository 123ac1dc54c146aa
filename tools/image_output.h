// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Writes a plot to the file the user named: .svg directly; .png through
// rsvg-convert (Debian package librsvg2-bin) when it is installed, so that
// Verbatim needs no image library of its own.
#pragma once

#include <string>

#include "asr/plot/svg_document.h"

namespace verbatim {

// Throws Error("<path>: ...") for another extension or when PNG conversion
// is impossible or fails.
void SaveImage(const SvgDocument& doc, const std::string& path);

}  // namespace verbatim
