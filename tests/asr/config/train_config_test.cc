// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <fstream>

#include "asr/config/train_config.h"
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

TEST_CASE("model config round trip", "[config]") {
  test::TempDir tmp;
  ModelConfig m;
  m.model.vocab_size = 77;
  m.fbank.mel.num_bins = 80;
  m.cmvn.norm_vars = false;
  WriteModelConfig(tmp.File("model.yaml"), m);
  const ModelConfig r = ReadModelConfig(tmp.File("model.yaml"));
  CHECK(r.model.vocab_size == 77);
  CHECK(r.fbank.mel.num_bins == 80);
  CHECK_FALSE(r.cmvn.norm_vars);
}

TEST_CASE("model config: every key is required (defaults would build another model)", "[config]") {
  test::TempDir tmp;
  WriteModelConfig(tmp.File("model.yaml"), ModelConfig{});
  std::ifstream in(tmp.File("model.yaml"));
  const std::string full((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string key : {"d_model", "num_mel_bins", "norm_vars"}) {
    std::string text = full;
    const size_t at = text.find("  " + key + ":");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) + 1 - at);  // the key's whole line
    std::ofstream(tmp.File("cut.yaml"), std::ios::trunc) << text;
    CHECK_THROWS_WITH(ReadModelConfig(tmp.File("cut.yaml")),
                      Catch::Contains("cut.yaml: missing key '") && Catch::Contains(key + "'"));
  }
  std::ofstream(tmp.File("no_cmvn.yaml")) << full.substr(0, full.find("cmvn:"));
  CHECK_THROWS_WITH(ReadModelConfig(tmp.File("no_cmvn.yaml")),
                    Catch::Contains("missing key 'cmvn'"));
}

}  // namespace
}  // namespace verbatim
