// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "asr/data/batch_sampler.h"
#include "base/random.h"

namespace verbatim {
namespace {

std::vector<double> RandomDurations(int n, uint64_t seed) {
  Random rng(seed);
  std::vector<double> d(n);
  for (double& x : d) x = rng.Uniform(0.05, 35.0);
  return d;
}

TEST_CASE("batches respect the frame budget and the batch size", "[sampler]") {
  const auto durations = RandomDurations(2000, 1);
  BatchSamplerOptions opts;
  opts.max_frames = 8000;
  opts.max_batch_size = 20;
  BatchSampler sampler(durations, opts);
  for (int epoch = 0; epoch < 3; ++epoch) {
    for (const auto& batch : sampler.Batches(epoch)) {
      REQUIRE(!batch.empty());
      CHECK(static_cast<int>(batch.size()) <= opts.max_batch_size);
      int64_t longest = 0;
      for (int i : batch) longest = std::max(longest, sampler.Frames(i));
      CHECK(static_cast<int64_t>(batch.size()) * longest <= opts.max_frames);
    }
  }
}

TEST_CASE("every kept utterance appears exactly once per epoch", "[sampler]") {
  const auto durations = RandomDurations(1500, 2);
  BatchSamplerOptions opts;
  opts.max_frames = 6000;
  BatchSampler sampler(durations, opts);
  CHECK(sampler.num_kept() + sampler.num_too_short() + sampler.num_too_long() == 1500);
  CHECK(sampler.num_too_short() > 0);
  CHECK(sampler.num_too_long() > 0);
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int> seen;
    for (const auto& batch : sampler.Batches(epoch))
      seen.insert(seen.end(), batch.begin(), batch.end());
    std::sort(seen.begin(), seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    CHECK(static_cast<int>(seen.size()) == sampler.num_kept());
    for (int i : seen) {
      CHECK(durations[i] >= opts.min_duration_s);
      CHECK(durations[i] <= opts.max_duration_s);
    }
  }
}

TEST_CASE("the same seed and epoch give the same batches, other epochs differ", "[sampler]") {
  const auto durations = RandomDurations(800, 3);
  BatchSamplerOptions opts;
  opts.seed = 42;
  BatchSampler a(durations, opts), b(durations, opts);
  CHECK(a.Batches(5) == b.Batches(5));
  CHECK(a.Batches(5) != a.Batches(6));
  opts.seed = 43;
  BatchSampler c(durations, opts);
  CHECK(a.Batches(5) != c.Batches(5));
}

TEST_CASE("shards are disjoint, equally long, and cover the epoch", "[sampler]") {
  const auto durations = RandomDurations(1000, 4);
  BatchSamplerOptions opts;
  opts.max_frames = 5000;
  BatchSampler sampler(durations, opts);
  const auto all = sampler.Batches(7, 0, 1);
  for (int world : {2, 3, 4}) {
    std::set<int> seen;
    size_t count = 0;
    size_t batches = 0;
    for (int rank = 0; rank < world; ++rank) {
      const auto shard = sampler.Batches(7, rank, world);
      if (rank == 0) batches = shard.size();
      CHECK(shard.size() == batches);
      for (const auto& batch : shard) {
        for (int i : batch) {
          CHECK(seen.insert(i).second);
          ++count;
        }
      }
    }
    CHECK(batches == all.size() / world);
    // Only the dropped remainder (fewer than `world` batches) is missing.
    size_t dropped = 0;
    for (size_t b = batches * world; b < all.size(); ++b) dropped += all[b].size();
    CHECK(count + dropped == static_cast<size_t>(sampler.num_kept()));
  }
}

TEST_CASE("sorting by length keeps padding low", "[sampler]") {
  const auto durations = RandomDurations(2000, 5);
  BatchSamplerOptions opts;
  opts.max_frames = 20000;
  BatchSampler sampler(durations, opts);
  int64_t real = 0, padded = 0;
  for (const auto& batch : sampler.Batches(0)) {
    int64_t longest = 0;
    for (int i : batch) {
      real += sampler.Frames(i);
      longest = std::max(longest, sampler.Frames(i));
    }
    padded += longest * static_cast<int64_t>(batch.size());
  }
  CHECK(static_cast<double>(real) / padded > 0.85);
}

}  // namespace
}  // namespace verbatim
