// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Arithmetic on natural-log probabilities (nats, double), as the searches
// score hypotheses.
#pragma once

#include <limits>

namespace verbatim {

// log(0).
constexpr double kLogZero = -std::numeric_limits<double>::infinity();

// log(exp(a) + exp(b)) without overflow; exact when either is kLogZero.
double LogAdd(double a, double b);

}  // namespace verbatim
