// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/online_fbank.h"

#include <algorithm>

#include "base/error.h"

namespace verbatim {

OnlineFbank::OnlineFbank(const FbankOptions& opts)
    : fbank_(opts),
      scratch_(fbank_.MakeScratch()),
      frame_opts_(opts.frame),
      dither_rng_(opts.frame.dither_seed) {
  pending_.dim = fbank_.Dim();
}

void OnlineFbank::AcceptWaveform(const float* samples, size_t n) {
  Check(!finished_, "OnlineFbank: AcceptWaveform after InputFinished");
  remainder_.insert(remainder_.end(), samples, samples + n);
  ComputeAvailableFrames(/*flush=*/false);
}

void OnlineFbank::InputFinished() {
  if (finished_) return;
  finished_ = true;
  ComputeAvailableFrames(/*flush=*/true);
}

void OnlineFbank::ComputeAvailableFrames(bool flush) {
  const int64_t total = remainder_offset_ + static_cast<int64_t>(remainder_.size());
  const int64_t ready = NumFrames(total, frame_opts_, flush);
  if (ready > frames_computed_) {
    const int dim = fbank_.Dim();
    pending_.data.resize(pending_.data.size() +
                         static_cast<size_t>(ready - frames_computed_) * dim);
    for (int64_t f = frames_computed_; f < ready; ++f) {
      float* out = pending_.Row(pending_.num_frames++);
      fbank_.ComputeFrame(remainder_.data(), static_cast<int64_t>(remainder_.size()),
                          remainder_offset_, f, &dither_rng_, &scratch_, out);
    }
    frames_computed_ = ready;
  }
  // Samples before the next frame's first sample are never needed again. (A
  // first sample below zero means reflection at the start: keep everything.)
  const int64_t keep_from = FirstSampleOfFrame(frames_computed_, frame_opts_);
  const int64_t drop =
      std::min<int64_t>(keep_from - remainder_offset_, static_cast<int64_t>(remainder_.size()));
  if (drop > 0) {
    remainder_.erase(remainder_.begin(), remainder_.begin() + drop);
    remainder_offset_ += drop;
  }
}

FeatureMatrix OnlineFbank::PopFrames() {
  FeatureMatrix out = std::move(pending_);
  frames_popped_ += out.num_frames;
  pending_ = FeatureMatrix();
  pending_.dim = fbank_.Dim();
  return out;
}

}  // namespace verbatim
