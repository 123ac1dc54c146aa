// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/data_loader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "asr/data/kaldi_data_dir.h"
#include "base/error.h"
#include "base/random.h"

namespace verbatim {
namespace {

constexpr size_t kMaxFailureMessages = 20;

uint64_t UtteranceSeed(uint64_t seed, int epoch, int utterance) {
  return Random::MixSeed(Random::MixSeed(seed, static_cast<uint64_t>(epoch)),
                         static_cast<uint64_t>(utterance));
}

}  // namespace

DataLoader::DataLoader(std::vector<Utterance> utterances, std::vector<std::vector<int>> tokens,
                       const DataLoaderOptions& opts)
    : utterances_(std::move(utterances)),
      tokens_(std::move(tokens)),
      opts_(opts),
      fbank_(opts.fbank),
      speed_(opts.speed),
      noise_(opts.noise),
      volume_(opts.volume),
      spec_(opts.spec) {
  Check(tokens_.empty() || tokens_.size() == utterances_.size(),
        "data loader: " + std::to_string(tokens_.size()) + " token lists for " +
            std::to_string(utterances_.size()) + " utterances");
  Check(opts.num_threads >= 1 && opts.prefetch >= 1,
        "data loader: num_threads and prefetch must be at least 1");
  const int rate = static_cast<int>(std::lround(opts.fbank.frame.sample_frequency));
  Check(opts.audio.audio.sample_rate_hz == rate && opts.noise.sample_rate_hz == rate,
        "data loader: audio and noise must be read at the features' rate of " +
            std::to_string(rate) + " Hz (DataLoaderOptions::Resolve)");
  if (opts.cmvn) {
    Check(opts.cmvn->dim() == opts.fbank.Dim(),
          "data loader: CMVN statistics have dimension " + std::to_string(opts.cmvn->dim()) +
              ", features have " + std::to_string(opts.fbank.Dim()));
    cmvn_.emplace(*opts.cmvn, opts.cmvn_options);
  }
}

DataLoader::~DataLoader() { Stop(); }

void DataLoader::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

void DataLoader::StartEpoch(int epoch, std::vector<std::vector<int>> batches, int first) {
  Stop();
  std::lock_guard<std::mutex> lock(mutex_);
  batches_ = std::move(batches);
  epoch_ = epoch;
  next_to_make_ = next_to_give_ = std::clamp(first, 0, static_cast<int>(batches_.size()));
  ready_.clear();
  stopping_ = false;
  for (int t = 0; t < opts_.num_threads; ++t) workers_.emplace_back(&DataLoader::Worker, this);
}

void DataLoader::Worker() {
  for (;;) {
    int index, epoch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [&] {
        return stopping_ || (next_to_make_ < static_cast<int>(batches_.size()) &&
                             next_to_make_ < next_to_give_ + opts_.prefetch);
      });
      if (stopping_) return;
      index = next_to_make_++;
      epoch = epoch_;
    }
    Batch batch = MakeBatch(index, epoch);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_[index] = std::move(batch);
    }
    cv_.notify_all();
  }
}

bool DataLoader::Next(Batch* batch) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (next_to_give_ >= static_cast<int>(batches_.size())) return false;
    cv_.wait(lock, [&] { return ready_.count(next_to_give_) > 0; });
    Batch b = std::move(ready_[next_to_give_]);
    ready_.erase(next_to_give_);
    ++next_to_give_;
    cv_.notify_all();
    if (b.utterances.empty()) continue;  // every utterance of it failed
    *batch = std::move(b);
    wait_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return true;
  }
}

FeatureMatrix DataLoader::Features(int utterance, int epoch) const {
  const Utterance& utt = utterances_[utterance];
  Random rng(UtteranceSeed(opts_.seed, epoch, utterance));
  std::vector<float> samples = ReadUtteranceAudio(utt, opts_.audio).samples;
  if (opts_.speed_perturb) samples = speed_.Apply(samples, &rng);
  if (opts_.volume_perturb) volume_.Apply(&samples, &rng);
  if (opts_.noise_probability > 0 && rng.Uniform() < opts_.noise_probability)
    noise_.Apply(&samples, &rng);
  FeatureMatrix feats =
      fbank_.Compute(samples.data(), static_cast<int64_t>(samples.size()), rng.NextU64());
  Check(feats.num_frames > 0, utt.id + ": audio shorter than one frame");
  if (cmvn_) cmvn_->Apply(&feats);
  if (opts_.spec_augment) spec_.Apply(&feats, &rng);
  return feats;
}

Batch DataLoader::MakeBatch(int index, int epoch) {
  Batch batch;
  batch.index = index;
  std::vector<FeatureMatrix> feats;
  for (int u : batches_[index]) {
    try {
      feats.push_back(Features(u, epoch));
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++num_failed_;
      if (failures_.size() < kMaxFailureMessages) failures_.push_back(e.what());
      continue;
    }
    batch.utterances.push_back(u);
    batch.ids.push_back(utterances_[u].id);
    batch.audio_seconds += std::max(0.0, utterances_[u].duration_s);
  }
  const int64_t n = static_cast<int64_t>(feats.size());
  if (n == 0) return batch;
  const int dim = feats[0].dim;
  int64_t max_t = 0, max_l = 0;
  for (const auto& f : feats) max_t = std::max<int64_t>(max_t, f.num_frames);
  for (int u : batch.utterances)
    if (!tokens_.empty()) max_l = std::max<int64_t>(max_l, tokens_[u].size());
  batch.feats = torch::zeros({n, max_t, dim});
  batch.feat_lengths = torch::empty({n}, torch::kInt64);
  batch.tokens = torch::full({n, max_l}, -1, torch::kInt64);
  batch.token_lengths = torch::zeros({n}, torch::kInt64);
  float* out = batch.feats.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out + i * max_t * dim, feats[i].data.data(), sizeof(float) * feats[i].data.size());
    batch.feat_lengths[i] = feats[i].num_frames;
    if (tokens_.empty()) continue;
    const std::vector<int>& t = tokens_[batch.utterances[i]];
    auto row = batch.tokens.accessor<int64_t, 2>()[i];
    for (size_t k = 0; k < t.size(); ++k) row[k] = t[k];
    batch.token_lengths[i] = static_cast<int64_t>(t.size());
  }
  return batch;
}

int DataLoader::num_failed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return num_failed_;
}

std::vector<std::string> DataLoader::failures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_;
}

}  // namespace verbatim
