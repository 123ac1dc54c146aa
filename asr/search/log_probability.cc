// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/search/log_probability.h"

#include <algorithm>
#include <cmath>

namespace verbatim {

double LogAdd(double a, double b) {
  if (a == kLogZero) return b;
  if (b == kLogZero) return a;
  return std::max(a, b) + std::log1p(std::exp(-std::abs(a - b)));
}

}  // namespace verbatim
