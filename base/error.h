// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The one exception type of Verbatim's libraries. Messages name the thing at
// fault first ("path/to/file.wav: truncated FLAC stream"), so that `main` can
// print e.what() as a one-line error and exit non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace verbatim {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error(message) when `condition` is false. A function, not a macro,
// so that checks are never compiled out of release builds.
inline void Check(bool condition, const std::string& message) {
  if (!condition) throw Error(message);
}

}  // namespace verbatim
