// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Dynamic batches by total frames. Utterances of similar length go together
// (less padding), batch composition and order change with the epoch through a
// seeded RNG (reproducible: the same seed and epoch give the same batches on
// every machine), and the batch list is sharded across data-parallel ranks so
// that every rank gets the same number of batches (they all-reduce in step).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

struct BatchSamplerOptions {
  // Budget per batch in input frames (10 ms) *including padding*: batch size
  // times the longest utterance of the batch.
  int64_t max_frames = 20000;
  int max_batch_size = 512;      // utterances per batch, at most
  double min_duration_s = 0.1;   // seconds; shorter utterances are left out
  double max_duration_s = 30.0;  // seconds; longer utterances are left out
  // Relative jitter of the sort key per epoch (0.1 = +-10%): neighbours in
  // length change batches from one epoch to the next.
  double length_jitter = 0.1;
  bool shuffle = true;  // shuffle the batch order each epoch (else shortest first)
  // Set from other settings (TrainConfig::Resolve), not configured here:
  uint64_t seed = 0;              // the training seed
  double frame_shift_ms = 10.0;   // ms, the features' frame shift, to turn durations into frames
  double frame_length_ms = 25.0;  // ms, the features' frame length

  void Register(OptionRegistry* registry);  // the configurable fields above
};

class BatchSampler {
 public:
  // `durations_s[i]` is the length of utterance i in seconds.
  BatchSampler(const std::vector<double>& durations_s, const BatchSamplerOptions& opts);

  // Batches of utterance indices for `epoch`, for data-parallel rank `rank`
  // of `world_size`. Every kept utterance appears exactly once across all
  // ranks, except that up to world_size - 1 trailing batches of the epoch are
  // dropped so that all ranks have the same number of batches.
  std::vector<std::vector<int>> Batches(int epoch, int rank = 0, int world_size = 1) const;

  int64_t Frames(int index) const { return frames_[index]; }
  int num_kept() const { return static_cast<int>(kept_.size()); }
  int num_too_short() const { return too_short_; }
  int num_too_long() const { return too_long_; }
  // "kept N of M utterances (K shorter than 0.1 s, L longer than 30 s)".
  std::string FilterSummary() const;

 private:
  BatchSamplerOptions opts_;
  std::vector<int64_t> frames_;  // per utterance, input frames
  std::vector<int> kept_;        // indices within the duration limits
  int too_short_ = 0;
  int too_long_ = 0;
};

}  // namespace verbatim
