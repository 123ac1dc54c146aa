// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/batch_sampler.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "base/error.h"
#include "base/random.h"

namespace verbatim {

void BatchSamplerOptions::Register(OptionRegistry* r) {
  r->Register("max_frames", &max_frames,
              "frames per batch, padding included (batch size x longest utterance)");
  r->Register("max_batch_size", &max_batch_size, "utterances per batch, at most");
  r->Register("min_duration_s", &min_duration_s, "shortest utterance kept, seconds");
  r->Register("max_duration_s", &max_duration_s, "longest utterance kept, seconds");
  r->Register("length_jitter", &length_jitter,
              "relative jitter of the length sort key per epoch (0.1 = +-10%)");
  r->Register("shuffle", &shuffle, "shuffle the batch order each epoch (false: shortest first)");
}

BatchSampler::BatchSampler(const std::vector<double>& durations_s, const BatchSamplerOptions& opts)
    : opts_(opts) {
  Check(opts.max_frames > 0 && opts.max_batch_size > 0,
        "batch sampler: max_frames and max_batch_size must be positive");
  Check(opts.min_duration_s <= opts.max_duration_s,
        "batch sampler: min_duration_s is above max_duration_s");
  frames_.resize(durations_s.size());
  for (size_t i = 0; i < durations_s.size(); ++i) {
    const double ms = durations_s[i] * 1000.0;
    frames_[i] = ms < opts.frame_length_ms
                     ? 1
                     : 1 + static_cast<int64_t>((ms - opts.frame_length_ms) / opts.frame_shift_ms);
    if (durations_s[i] < opts.min_duration_s) {
      ++too_short_;
    } else if (durations_s[i] > opts.max_duration_s || frames_[i] > opts.max_frames) {
      ++too_long_;  // longer than the limit, or alone over the frame budget
    } else {
      kept_.push_back(static_cast<int>(i));
    }
  }
}

std::string BatchSampler::FilterSummary() const {
  std::ostringstream s;
  s << "kept " << kept_.size() << " of " << frames_.size() << " utterances (" << too_short_
    << " shorter than " << opts_.min_duration_s << " s, " << too_long_ << " longer than "
    << opts_.max_duration_s << " s or over the batch budget)";
  return s.str();
}

std::vector<std::vector<int>> BatchSampler::Batches(int epoch, int rank, int world_size) const {
  Check(world_size >= 1 && rank >= 0 && rank < world_size,
        "batch sampler: bad rank " + std::to_string(rank) + " of " + std::to_string(world_size));
  Random rng(Random::MixSeed(opts_.seed, static_cast<uint64_t>(epoch)));
  // Sort by jittered length; ties broken by index, so the order is total.
  std::vector<std::pair<double, int>> order;
  order.reserve(kept_.size());
  for (int i : kept_) {
    const double jitter =
        opts_.length_jitter > 0 ? rng.Uniform(-1.0, 1.0) * opts_.length_jitter : 0;
    order.emplace_back(frames_[i] * (1.0 + jitter), i);
  }
  std::sort(order.begin(), order.end());

  std::vector<std::vector<int>> batches;
  std::vector<int> current;
  int64_t longest = 0;
  for (const auto& entry : order) {
    const int i = entry.second;
    const int64_t longer = std::max(longest, frames_[i]);
    const bool over = (static_cast<int64_t>(current.size()) + 1) * longer > opts_.max_frames ||
                      static_cast<int>(current.size()) >= opts_.max_batch_size;
    if (!current.empty() && over) {
      batches.push_back(std::move(current));
      current.clear();
      longest = 0;
    }
    current.push_back(i);
    longest = std::max(longest, frames_[i]);
  }
  if (!current.empty()) batches.push_back(std::move(current));

  if (opts_.shuffle) {
    for (size_t i = batches.size(); i > 1; --i)
      std::swap(batches[i - 1], batches[rng.UniformInt(0, static_cast<int64_t>(i) - 1)]);
  }
  // Equal batch counts on every rank: drop the trailing remainder.
  const size_t per_rank = batches.size() / world_size;
  std::vector<std::vector<int>> shard;
  shard.reserve(per_rank);
  for (size_t b = 0; b < per_rank; ++b) shard.push_back(std::move(batches[b * world_size + rank]));
  return shard;
}

}  // namespace verbatim
