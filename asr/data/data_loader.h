// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Background loading for training: worker threads read audio, perturb it,
// compute fbank + CMVN + SpecAugment, and assemble padded batches ahead of the
// trainer (bounded prefetch). Each utterance draws its randomness from its own
// seed (global seed, epoch, utterance index), so batches are identical
// whatever the number of threads. Batches come out in the sampler's order.
#pragma once

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "asr/data/data_loader_options.h"
#include "asr/data/utterance.h"
#include "asr/data/wav_scp.h"
#include "frontend/additive_noise.h"
#include "frontend/cmvn.h"
#include "frontend/fbank.h"
#include "frontend/spec_augment.h"
#include "frontend/speed_perturb.h"
#include "frontend/volume_perturb.h"

namespace verbatim {

struct Batch {
  int index = -1;                // position in the epoch
  std::vector<int> utterances;   // indices into the loader's utterance list (skipped ones removed)
  std::vector<std::string> ids;  // utterance ids, same order
  torch::Tensor feats;           // (N, T, C) float32, zero-padded
  torch::Tensor feat_lengths;    // (N) int64, frames
  torch::Tensor tokens;          // (N, L) int64, padded with -1
  torch::Tensor token_lengths;   // (N) int64
  double audio_seconds = 0.0;    // seconds of audio in the batch (before speed perturbation)
};

class DataLoader {
 public:
  // `tokens[i]` are the token ids of `utterances[i]` (may be empty for sets
  // without text). Both are kept by value.
  DataLoader(std::vector<Utterance> utterances, std::vector<std::vector<int>> tokens,
             const DataLoaderOptions& opts);
  ~DataLoader();
  DataLoader(const DataLoader&) = delete;
  DataLoader& operator=(const DataLoader&) = delete;

  // Starts producing `batches` (indices into the utterance list) for `epoch`,
  // beginning at batch `first` (to resume mid-epoch). Stops an epoch in flight.
  void StartEpoch(int epoch, std::vector<std::vector<int>> batches, int first = 0);
  // The next batch of the epoch in order; false when the epoch is done.
  // Batches whose every utterance failed to load are skipped.
  bool Next(Batch* batch);

  // Features of one utterance as the workers make them (for tests and tools).
  FeatureMatrix Features(int utterance, int epoch) const;

  double wait_seconds() const { return wait_seconds_; }  // consumer time blocked in Next()
  int num_failed() const;                                // utterances that failed to load
  std::vector<std::string> failures() const;             // first messages, for the log
  const std::vector<Utterance>& utterances() const { return utterances_; }

 private:
  void Stop();
  void Worker();
  Batch MakeBatch(int index, int epoch);

  std::vector<Utterance> utterances_;
  std::vector<std::vector<int>> tokens_;
  DataLoaderOptions opts_;
  Fbank fbank_;  // built once, shared by the workers (thread-safe)
  SpeedPerturb speed_;
  AdditiveNoise noise_;
  VolumePerturb volume_;
  SpecAugment spec_;
  std::optional<Cmvn> cmvn_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::thread> workers_;
  std::vector<std::vector<int>> batches_;
  int epoch_ = 0;
  int next_to_make_ = 0;
  int next_to_give_ = 0;
  bool stopping_ = false;
  std::map<int, Batch> ready_;
  double wait_seconds_ = 0.0;
  int num_failed_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace verbatim
