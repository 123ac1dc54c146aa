// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "asr/train/train_config.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

TEST_CASE("training config: file over defaults, round trip of every key", "[config]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("conf.yaml")) << "model:\n  d_model: 144\n  encoder_layers: 9\n"
                                          "features:\n  num_mel_bins: 40\n  window_type: hamming\n"
                                          "augmentation:\n  speed_factors: [0.9, 1.1]\n"
                                          "  time_mask_policy: adaptive\n"
                                          "training:\n  peak_lr: 0.002\n  precision: bf16\n"
                                          "guided_attention:\n  weight: 0.5\n  heads: [0, 1]\n";
  const TrainConfig c = ReadTrainConfig(tmp.File("conf.yaml"));
  CHECK(c.model.d_model == 144);
  CHECK(c.model.encoder_layers == 9);
  CHECK(c.model.num_heads == ModelOptions().num_heads);  // untouched default
  CHECK(c.data.fbank.mel.num_bins == 40);
  CHECK(c.data.fbank.frame.window_type == WindowType::kHamming);
  CHECK(c.data.speed.factors == std::vector<double>{0.9, 1.1});
  CHECK(c.data.spec.time_mask_policy == SpecAugmentOptions::TimeMaskPolicy::kAdaptive);
  CHECK(c.trainer.lr.peak_lr == 0.002);
  CHECK(c.trainer.precision == "bf16");
  CHECK(c.trainer.guided.heads == std::vector<int>{0, 1});
  WriteTrainConfig(tmp.File("resolved.yaml"), c);
  const TrainConfig again = ReadTrainConfig(tmp.File("resolved.yaml"));
  CHECK(TrainConfigToYaml(again) == TrainConfigToYaml(c));
  CHECK(again.trainer.guided.weight == 0.5);
}

TEST_CASE("training config errors name the file and the key", "[config]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("typo.yaml")) << "model:\n  d_modle: 144\n";
  std::ofstream(tmp.File("type.yaml")) << "training:\n  epochs: many\n";
  std::ofstream(tmp.File("section.yaml")) << "modle:\n  d_model: 1\n";
  std::ofstream(tmp.File("enum.yaml")) << "features:\n  window_type: triangle\n";
  CHECK_THROWS_WITH(ReadTrainConfig(tmp.File("typo.yaml")),
                    Catch::Contains("typo.yaml") && Catch::Contains("model.d_modle"));
  CHECK_THROWS_WITH(ReadTrainConfig(tmp.File("type.yaml")),
                    Catch::Contains("training.epochs") && Catch::Contains("many"));
  CHECK_THROWS_WITH(ReadTrainConfig(tmp.File("section.yaml")), Catch::Contains("modle"));
  CHECK_THROWS_WITH(ReadTrainConfig(tmp.File("enum.yaml")), Catch::Contains("triangle"));
}

TEST_CASE("training config: every option of every section has a key", "[config]") {
  // The features section has Kaldi's 20 fbank options, the flags of
  // `verbatim fbank` (tests/tools/fbank_command_test.cc checks the flags).
  const std::vector<std::string> features = RegisteredNames(FbankOptions());
  CHECK(features.size() == 20);
  for (const char* name : {"sample_frequency", "frame_length", "frame_shift", "dither",
                           "dither_seed", "blackman_coeff", "raw_energy", "htk_compat",
                           "num_mel_bins", "window_type", "snip_edges", "use_power"})
    CHECK(std::count(features.begin(), features.end(), name) == 1);
  test::TempDir tmp;
  TrainConfig c;
  c.data.fbank.frame.dither_seed = 17;
  c.data.fbank.frame.blackman_coeff = 0.5f;
  c.data.fbank.raw_energy = false;
  c.data.fbank.htk_compat = true;
  c.data.volume.max_gain = 3.0;
  c.data.spec.mask_value = SpecAugmentOptions::MaskValue::kMean;
  c.trainer.adam_beta2 = 0.999;
  WriteTrainConfig(tmp.File("all.yaml"), c);
  const TrainConfig r = ReadTrainConfig(tmp.File("all.yaml"));
  CHECK(r.data.fbank.frame.dither_seed == 17);
  CHECK(r.data.fbank.frame.blackman_coeff == 0.5f);
  CHECK_FALSE(r.data.fbank.raw_energy);
  CHECK(r.data.fbank.htk_compat);
  CHECK(r.data.volume.max_gain == 3.0);
  CHECK(r.data.spec.mask_value == SpecAugmentOptions::MaskValue::kMean);
  CHECK(r.trainer.adam_beta2 == 0.999);
}

TEST_CASE("Resolve derives what follows from other settings", "[config]") {
  test::TempDir tmp;
  std::ofstream(tmp.File("c.yaml")) << "features:\n  sample_frequency: 8000\n  frame_shift: 20\n"
                                       "  frame_length: 50\n  num_mel_bins: 30\n"
                                       "  use_energy: true\ntraining:\n  seed: 42\n";
  TrainConfig c = ReadTrainConfig(tmp.File("c.yaml"));
  c.Resolve(/*vocab_size=*/77);
  CHECK(c.model.vocab_size == 77);
  CHECK(c.model.input_dim == 31);  // 30 bins and the energy
  CHECK(c.batching.frame_shift_ms == 20.0);
  CHECK(c.batching.frame_length_ms == 50.0);
  CHECK(c.batching.seed == 42);
  CHECK(c.data.seed == 42);
  CHECK(c.data.audio.audio.sample_rate_hz == 8000);
  CHECK(c.data.noise.sample_rate_hz == 8000);
  // The resolved configuration reads back as it is.
  WriteTrainConfig(tmp.File("resolved.yaml"), c);
  CHECK(TrainConfigToYaml(ReadTrainConfig(tmp.File("resolved.yaml"))) == TrainConfigToYaml(c));
  // Validation data: same features, no augmentation, no dither, fixed order.
  c.data.spec_augment = c.data.speed_perturb = true;
  const DataLoaderOptions dev = c.DevData();
  CHECK_FALSE(dev.spec_augment);
  CHECK_FALSE(dev.speed_perturb);
  CHECK(dev.fbank.frame.dither == 0.0f);
  CHECK(dev.fbank.frame.frame_shift_ms == 20.0f);
  CHECK_FALSE(c.DevBatching().shuffle);
}

TEST_CASE("the frame shift and the seed reach the batches", "[config]") {
  // 60 utterances of 1..6 s: with 20 ms frames the frame budget holds twice
  // as many seconds of audio per batch as with 10 ms frames.
  std::vector<double> durations;
  for (int i = 0; i < 60; ++i) durations.push_back(1.0 + 0.083 * i);
  auto batches = [&](float shift_ms, uint64_t seed) {
    TrainConfig c;
    c.data.fbank.frame.frame_shift_ms = shift_ms;
    c.trainer.seed = seed;
    c.batching.max_frames = 2000;
    c.Resolve(10);
    return BatchSampler(durations, c.batching).Batches(0);
  };
  CHECK(batches(10.0f, 1).size() > 1.7 * batches(20.0f, 1).size());
  CHECK(batches(10.0f, 1) == batches(10.0f, 1));
  CHECK(batches(10.0f, 1) != batches(10.0f, 2));
}

TEST_CASE("Resolve refuses inconsistent settings", "[config]") {
  TrainConfig c;
  c.model.d_model = 100;
  c.model.num_heads = 3;
  CHECK_THROWS_WITH(c.Resolve(10), Catch::Contains("num_heads"));
  TrainConfig d;
  d.trainer.precision = "fp8";
  CHECK_THROWS_WITH(d.Resolve(10), Catch::Contains("precision"));
}

}  // namespace
}  // namespace verbatim
