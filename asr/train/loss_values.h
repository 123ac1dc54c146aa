// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Loss values of one batch, or sums and means over batches (and over the
// ranks of a data-parallel job: see Pack/Unpack).
#pragma once

#include <cstdint>
#include <vector>

namespace verbatim {

struct LossValues {
  // Per-utterance means of one batch (nats per utterance; accuracy 0..1), or
  // sums of such values over `batches` batches before Mean().
  double total = 0, ctc = 0, attention = 0, guided = 0, accuracy = 0;
  int64_t batches = 0;
  void Add(const LossValues& other);
  LossValues Mean() const;  // the sums divided by `batches`

  static constexpr int kPackedSize = 6;
  // The fields as doubles (for an all-reduce of sums), and back.
  std::vector<double> Pack() const;
  static LossValues Unpack(const double* values);
};

}  // namespace verbatim
