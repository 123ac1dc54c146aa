// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/model_config.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "tests/test_util.h"

namespace verbatim {
namespace {

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

TEST_CASE("model config: version 1 files load", "[config]") {
  // As written before the features section had every fbank option and
  // Kaldi's names for the frame length and shift.
  test::TempDir tmp;
  std::ofstream(tmp.File("v1.yaml"))
      << "format_version: 1\nmodel:\n  input_dim: 40\n  vocab_size: 50\n  d_model: 32\n"
         "  num_heads: 2\n  ffn_dim: 64\n  encoder_layers: 1\n  decoder_layers: 1\n"
         "  dropout: 0\n  attention_dropout: 0\n  subsampling: 4\n  subsampling_channels: 8\n"
         "  conv_kernel: 0\n  tie_output_embedding: false\n  max_positions: 5000\n"
         "features:\n  sample_frequency: 16000\n  frame_length_ms: 25\n  frame_shift_ms: 12.5\n"
         "  dither: 0\n  preemphasis_coefficient: 0.97\n  remove_dc_offset: true\n"
         "  window_type: hamming\n  round_to_power_of_two: true\n  snip_edges: true\n"
         "  num_mel_bins: 40\n  low_freq: 20\n  high_freq: 0\n  use_energy: false\n"
         "  energy_floor: 0\n  use_log_fbank: true\n  use_power: true\n"
         "cmvn:\n  norm_means: true\n  norm_vars: false\n";
  const ModelConfig c = ReadModelConfig(tmp.File("v1.yaml"));
  CHECK(c.model.vocab_size == 50);
  CHECK(c.fbank.frame.frame_shift_ms == 12.5f);
  CHECK(c.fbank.frame.window_type == WindowType::kHamming);
  CHECK(c.fbank.raw_energy == FbankOptions().raw_energy);
  CHECK_FALSE(c.cmvn.norm_vars);
  std::ofstream(tmp.File("v3.yaml")) << "format_version: 3\n";
  CHECK_THROWS_WITH(ReadModelConfig(tmp.File("v3.yaml")), Catch::Contains("format_version 3"));
}

}  // namespace
}  // namespace verbatim
