// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/loss_values.h"

#include <cmath>

namespace verbatim {

void LossValues::Add(const LossValues& o) {
  total += o.total;
  ctc += o.ctc;
  attention += o.attention;
  guided += o.guided;
  accuracy += o.accuracy;
  batches += o.batches;
}

LossValues LossValues::Mean() const {
  LossValues m = *this;
  if (batches == 0) return m;
  const double n = static_cast<double>(batches);
  m.total /= n;
  m.ctc /= n;
  m.attention /= n;
  m.guided /= n;
  m.accuracy /= n;
  return m;
}

std::vector<double> LossValues::Pack() const {
  return {total, ctc, attention, guided, accuracy, static_cast<double>(batches)};
}

LossValues LossValues::Unpack(const double* v) {
  LossValues l;
  l.total = v[0];
  l.ctc = v[1];
  l.attention = v[2];
  l.guided = v[3];
  l.accuracy = v[4];
  l.batches = std::llround(v[5]);
  return l;
}

}  // namespace verbatim
