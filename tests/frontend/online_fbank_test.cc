// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Streaming features must equal whole-signal features exactly, for any cut.
#include <catch2/catch.hpp>

#include "base/random.h"
#include "frontend/audio_reader.h"
#include "frontend/fbank.h"
#include "frontend/online_fbank.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

std::vector<float> TestSignal(int n, uint64_t seed) {
  Random rng(seed);
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = static_cast<float>(3000.0 * std::sin(0.01 * i + 1e-6 * i * i) + 200.0 * rng.Gaussian());
  return x;
}

FeatureMatrix Stream(const FbankOptions& opts, const std::vector<float>& x, Random* cut_rng,
                     int max_chunk) {
  OnlineFbank online(opts);
  FeatureMatrix all;
  all.dim = online.Dim();
  auto append = [&](FeatureMatrix m) {
    REQUIRE(m.dim == all.dim);
    all.data.insert(all.data.end(), m.data.begin(), m.data.end());
    all.num_frames += m.num_frames;
  };
  size_t pos = 0;
  while (pos < x.size()) {
    const size_t n = std::min<size_t>(x.size() - pos, cut_rng->UniformInt(0, max_chunk));
    online.AcceptWaveform(x.data() + pos, n);
    pos += n;
    if (cut_rng->Uniform() < 0.5) append(online.PopFrames());
  }
  online.InputFinished();
  append(online.PopFrames());
  REQUIRE(online.NumFramesReady() == all.num_frames);
  return all;
}

TEST_CASE("streaming fbank equals whole-signal fbank for any chunking", "[fbank][online]") {
  const std::vector<float> x = TestSignal(16000 + 123, 7);
  for (bool snip : {true, false}) {
    for (float dither : {0.0f, 1.0f}) {
      for (int max_chunk : {1, 7, 160, 400, 4000, 20000}) {
        FbankOptions opts;
        opts.frame.snip_edges = snip;
        opts.frame.dither = dither;
        opts.frame.dither_seed = 99;
        opts.mel.num_bins = 40;
        opts.use_energy = true;
        Fbank whole(opts);
        const FeatureMatrix expected = whole.Compute(x);
        Random cut_rng(max_chunk * 31 + snip);
        const FeatureMatrix streamed = Stream(opts, x, &cut_rng, max_chunk);
        INFO("snip " << snip << " dither " << dither << " max chunk " << max_chunk);
        REQUIRE(streamed.num_frames == expected.num_frames);
        CHECK(streamed.data == expected.data);  // bit-exact
      }
    }
  }
}

TEST_CASE("streaming fbank handles long frames relative to the shift", "[fbank][online]") {
  // Frames reaching before the signal start for several frames (no snip edges).
  FbankOptions opts;
  opts.frame.snip_edges = false;
  opts.frame.frame_length_ms = 50.0f;
  opts.frame.frame_shift_ms = 3.0f;
  opts.frame.dither = 0.0f;
  const std::vector<float> x = TestSignal(3000, 3);
  Fbank whole(opts);
  const FeatureMatrix expected = whole.Compute(x);
  Random cut_rng(5);
  const FeatureMatrix streamed = Stream(opts, x, &cut_rng, 50);
  REQUIRE(streamed.num_frames == expected.num_frames);
  CHECK(streamed.data == expected.data);
}

TEST_CASE("streaming fbank on signals shorter than a frame", "[fbank][online]") {
  for (int n : {0, 1, 100, 399, 400}) {
    for (bool snip : {true, false}) {
      FbankOptions opts;
      opts.frame.snip_edges = snip;
      opts.frame.dither = 0.0f;
      const std::vector<float> x = TestSignal(n, 11);
      Fbank whole(opts);
      const FeatureMatrix expected = whole.Compute(x);
      Random cut_rng(n);
      const FeatureMatrix streamed = Stream(opts, x, &cut_rng, 37);
      INFO("n " << n << " snip " << snip);
      REQUIRE(streamed.num_frames == expected.num_frames);
      CHECK(streamed.data == expected.data);
    }
  }
}

TEST_CASE("streaming fbank equals whole-signal fbank on real speech", "[fbank][online]") {
  if (test::SkipWithoutShared()) return;
  Waveform wave = ReadAudio(test::SharedDir() + "/speech/labeled/jfk.flac");
  FbankOptions opts;
  opts.mel.num_bins = 80;
  opts.frame.dither_seed = 1234;
  Fbank whole(opts);
  const FeatureMatrix expected = whole.Compute(wave.samples);
  Random cut_rng(1);
  const FeatureMatrix streamed = Stream(opts, wave.samples, &cut_rng, 8000);
  REQUIRE(streamed.num_frames == expected.num_frames);
  CHECK(streamed.data == expected.data);
}

}  // namespace
}  // namespace verbatim
