// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A tiny model directory for command tests: `verbatim tokenizer train` (char,
// 20 tokens) and `verbatim train` for two steps of a 1+1-layer, d_model 32
// model on the given utterances. Slow (seconds): callers cache the result.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace verbatim {
namespace test {

struct TinyUtterance {
  std::vector<float> audio;  // mono, 16 kHz, [-1, 1]
  std::string text;
};

// Writes the data dir, tokenizer and experiment under `dir`; returns the
// model directory (dir/exp/model). `verbatim` is the command to run.
inline std::string TrainTinyModel(const TempDir& dir, const std::vector<TinyUtterance>& utts,
                                  const std::string& verbatim) {
  const std::string data = dir.File("data");
  std::filesystem::create_directories(data);
  std::ofstream wav(data + "/wav.scp"), text(data + "/text"), spk(data + "/utt2spk");
  for (size_t u = 0; u < utts.size(); ++u) {
    const std::string id = "utt" + std::to_string(u), path = dir.File(id + ".wav");
    WriteAudio(path, utts[u].audio, 16000, 1);
    wav << id << " " << path << "\n";
    text << id << " " << utts[u].text << "\n";
    spk << id << " spk\n";
  }
  wav.close(), text.close(), spk.close();
  std::ofstream(dir.File("train.yaml"))
      << "model: {d_model: 32, num_heads: 2, ffn_dim: 64, encoder_layers: 1,"
         " decoder_layers: 1, subsampling_channels: 8}\n"
         "features: {num_mel_bins: 40}\n"
         "training: {epochs: 1, max_steps: 2, warmup_steps: 1, num_workers: 1}\n";
  for (const std::string& command :
       {verbatim + " tokenizer train --text " + data + "/text --vocab 20 --type char --out " +
            dir.File("tok"),
        verbatim + " train --config " + dir.File("train.yaml") + " --train " + data +
            " --tokenizer " + dir.File("tok") + " --exp " + dir.File("exp") + " --threads 1"}) {
    std::string log;
    const int status = RunCommand(command, &log);
    INFO(command << "\n" << log);
    REQUIRE(status == 0);
  }
  return dir.File("exp/model");
}

}  // namespace test
}  // namespace verbatim
