// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/data/batch_sampler.h"
#include "asr/data/data_loader.h"
#include "base/random.h"
#include "tests/asr/noise_utterance.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

struct Fixture {
  test::TempDir tmp;
  std::vector<Utterance> utts;
  std::vector<std::vector<int>> tokens;

  explicit Fixture(int n) {
    Random rng(17);
    for (int i = 0; i < n; ++i) {
      utts.push_back(test::NoiseUtterance(tmp, "utt" + std::to_string(i), 4000, 12000, 0.1, &rng));
      tokens.push_back(std::vector<int>(1 + i % 5, 3 + i));
    }
  }
};

DataLoaderOptions AugmentingOptions(int threads) {
  DataLoaderOptions opts;
  opts.fbank.mel.num_bins = 40;
  opts.speed_perturb = true;
  opts.volume_perturb = true;
  opts.noise_probability = 0.5;
  opts.spec_augment = true;
  opts.num_threads = threads;
  opts.prefetch = 3;
  opts.seed = 5;
  return opts;
}

std::vector<Batch> Drain(DataLoader* loader, int epoch,
                         const std::vector<std::vector<int>>& batches, int first = 0) {
  loader->StartEpoch(epoch, batches, first);
  std::vector<Batch> out;
  Batch b;
  while (loader->Next(&b)) out.push_back(b);
  return out;
}

std::vector<std::vector<int>> SamplerBatches(const std::vector<Utterance>& utts, int epoch) {
  std::vector<double> durations;
  for (const auto& u : utts) durations.push_back(u.duration_s);
  BatchSamplerOptions opts;
  opts.max_frames = 400;
  return BatchSampler(durations, opts).Batches(epoch);
}

TEST_CASE("loader batches are identical for any thread count", "[loader]") {
  Fixture fx(24);
  const auto batches = SamplerBatches(fx.utts, 0);
  DataLoader one(fx.utts, fx.tokens, AugmentingOptions(1));
  DataLoader three(fx.utts, fx.tokens, AugmentingOptions(3));
  const auto a = Drain(&one, 0, batches);
  const auto b = Drain(&three, 0, batches);
  REQUIRE(a.size() == batches.size());
  REQUIRE(b.size() == a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].ids == b[i].ids);
    CHECK(torch::equal(a[i].feats, b[i].feats));
    CHECK(torch::equal(a[i].feat_lengths, b[i].feat_lengths));
    CHECK(torch::equal(a[i].tokens, b[i].tokens));
  }
  // Another epoch draws other augmentations.
  const auto c = Drain(&one, 1, batches);
  CHECK_FALSE(torch::equal(a[0].feats, c[0].feats));
}

TEST_CASE("loader tensors: shapes, padding and tokens", "[loader]") {
  Fixture fx(10);
  const auto batches = SamplerBatches(fx.utts, 0);
  DataLoaderOptions opts;
  opts.fbank.mel.num_bins = 40;
  DataLoader loader(fx.utts, fx.tokens, opts);
  int seen = 0;
  for (const Batch& b : Drain(&loader, 0, batches)) {
    const int64_t n = static_cast<int64_t>(b.ids.size());
    REQUIRE(b.feats.dim() == 3);
    CHECK(b.feats.size(0) == n);
    CHECK(b.feats.size(2) == 40);
    CHECK(b.feat_lengths.max().item<int64_t>() == b.feats.size(1));
    for (int64_t i = 0; i < n; ++i) {
      const int u = b.utterances[i];
      const int64_t len = b.feat_lengths[i].item<int64_t>();
      // Kaldi frame count at 16 kHz, snip edges: 1 + (n - 400) / 160.
      const int64_t samples = static_cast<int64_t>(fx.utts[u].duration_s * 16000 + 0.5);
      CHECK(len == 1 + (samples - 400) / 160);
      if (len < b.feats.size(1)) CHECK(b.feats[i].slice(0, len).abs().sum().item<float>() == 0.0f);
      const int64_t tl = b.token_lengths[i].item<int64_t>();
      CHECK(tl == static_cast<int64_t>(fx.tokens[u].size()));
      for (int64_t k = 0; k < b.tokens.size(1); ++k)
        CHECK(b.tokens[i][k].item<int64_t>() == (k < tl ? fx.tokens[u][k] : -1));
      ++seen;
    }
  }
  CHECK(seen == 10);
  CHECK(loader.wait_seconds() >= 0.0);
}

TEST_CASE("loader skips unreadable utterances and counts them", "[loader]") {
  Fixture fx(6);
  fx.utts[2].audio = fx.tmp.File("missing.wav");
  DataLoaderOptions opts;
  DataLoader loader(fx.utts, fx.tokens, opts);
  int seen = 0;
  for (const Batch& b : Drain(&loader, 0, {{0, 1, 2}, {2}, {3, 4, 5}})) seen += b.ids.size();
  CHECK(seen == 5);
  CHECK(loader.num_failed() == 2);
  REQUIRE(!loader.failures().empty());
  CHECK_THAT(loader.failures()[0], Catch::Contains("missing.wav"));
}

TEST_CASE("loader resumes mid-epoch with the same batches", "[loader]") {
  Fixture fx(16);
  const auto batches = SamplerBatches(fx.utts, 3);
  REQUIRE(batches.size() >= 3);
  DataLoader loader(fx.utts, fx.tokens, AugmentingOptions(2));
  const auto full = Drain(&loader, 3, batches);
  const auto resumed = Drain(&loader, 3, batches, 2);
  REQUIRE(resumed.size() == full.size() - 2);
  for (size_t i = 0; i < resumed.size(); ++i)
    CHECK(torch::equal(resumed[i].feats, full[i + 2].feats));
}

TEST_CASE("the data loader refuses noise at another rate than the features", "[data]") {
  DataLoaderOptions o;
  o.fbank.frame.sample_frequency = 8000.0f;  // noise and audio still at 16 kHz
  CHECK_THROWS_WITH(DataLoader({}, {}, o), Catch::Contains("8000 Hz"));
  o.Resolve();
  CHECK_NOTHROW(DataLoader({}, {}, o));
}

}  // namespace
}  // namespace verbatim
