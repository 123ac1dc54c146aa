// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Streaming fbank: waveform pieces of any size go in, frames come out as soon
// as they are complete. The frames are identical (bit for bit, dither
// included) to Fbank::Compute on the whole signal, however the input is cut.
#pragma once

#include <cstdint>
#include <vector>

#include "frontend/fbank.h"
#include "frontend/feature_matrix.h"

namespace verbatim {

class OnlineFbank {
 public:
  explicit OnlineFbank(const FbankOptions& opts);

  int Dim() const { return fbank_.Dim(); }

  // Appends `n` samples (16-bit integer scale, at opts.frame.sample_frequency)
  // and computes every frame that is now complete.
  void AcceptWaveform(const float* samples, size_t n);
  void AcceptWaveform(const std::vector<float>& samples) {
    AcceptWaveform(samples.data(), samples.size());
  }
  // No more input: computes the last frames (which, without snip_edges, reach
  // past the end of the signal and reflect it).
  void InputFinished();
  bool IsLastFrame(int64_t frame) const { return finished_ && frame == NumFramesReady() - 1; }

  // Frames computed so far, including those already popped.
  int64_t NumFramesReady() const { return frames_popped_ + pending_.num_frames; }
  // Moves out the frames computed since the last call (num_frames x Dim()).
  FeatureMatrix PopFrames();

 private:
  void ComputeAvailableFrames(bool flush);

  Fbank fbank_;
  Fbank::Scratch scratch_;
  FrameExtractionOptions frame_opts_;
  Random dither_rng_;
  std::vector<float> remainder_;  // samples not yet needed by a computed frame
  int64_t remainder_offset_ = 0;  // index of remainder_[0] in the whole signal
  int64_t frames_computed_ = 0;
  int64_t frames_popped_ = 0;
  FeatureMatrix pending_;
  bool finished_ = false;
};

}  // namespace verbatim
