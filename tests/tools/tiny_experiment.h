// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A tiny experiment for the command tests, the way a recipe makes one: a
// Kaldi data directory of short utterances, a char tokenizer (`verbatim
// tokenizer train`), optionally global CMVN (`verbatim compute-cmvn`), and
// `verbatim train` of a 1-layer, d_model 32 model for a few steps, which
// exports exp/model. Plumbing only: the model learns next to nothing. Slow
// (seconds): tests build one per process where they can.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace verbatim {
namespace test {

struct TinyUtterance {
  std::vector<float> audio;  // mono, 16 kHz, [-1, 1]
  std::string text;
};

// `count` tones, utterance i at 200 + 90 i Hz and `samples(i)` samples long,
// with the made-up transcripts "A CAT", "THE DOG", ... in turn.
inline std::vector<TinyUtterance> ToneUtterances(int count,
                                                 const std::function<int(int)>& samples) {
  static const char* kTexts[] = {"A CAT",   "THE DOG", "A DOG", "THE CAT",
                                 "CAT DOG", "DOG CAT", "THE A", "A THE"};
  std::vector<TinyUtterance> utts;
  for (int i = 0; i < count; ++i)
    utts.push_back({Sine(200.0 + 90.0 * i, 16000, samples(i), 0.3), kTexts[i % 8]});
  return utts;
}

struct TinyExperimentOptions {
  std::vector<TinyUtterance> utterances;
  // The training configuration; the model section is what every test uses.
  std::string config =
      "model: {d_model: 32, num_heads: 2, ffn_dim: 64, encoder_layers: 1,"
      " decoder_layers: 1, subsampling_channels: 8}\n"
      "features: {num_mel_bins: 20}\n"
      "training: {epochs: 1, max_steps: 2, warmup_steps: 1, num_workers: 1}\n";
  std::string tokenizer_flags = "--type char";
  bool cmvn = false;  // global CMVN statistics (of the configuration's features)
  bool dev = false;   // validate on the training data after every epoch
};

struct TinyExperiment {
  TempDir dir;
  std::string data = dir.File("data"), tokenizer = dir.File("tok"), cmvn, exp = dir.File("exp");
  std::string model = dir.File("exp/model"), config = dir.File("conf.yaml");
  std::string log;  // the output of the commands

  // Writes everything under `dir`; REQUIREs that every command succeeds.
  explicit TinyExperiment(const TinyExperimentOptions& opts) {
    std::filesystem::create_directories(data);
    std::ofstream wav(data + "/wav.scp"), text(data + "/text"), spk(data + "/utt2spk");
    for (size_t u = 0; u < opts.utterances.size(); ++u) {
      const std::string id = "utt" + std::to_string(u), path = dir.File(id + ".wav");
      WriteAudio(path, opts.utterances[u].audio, 16000, 1);
      wav << id << " " << path << "\n";
      text << id << " " << opts.utterances[u].text << "\n";
      spk << id << " spk\n";
    }
    wav.close(), text.close(), spk.close();
    std::ofstream(config) << opts.config;
    if (opts.cmvn) cmvn = dir.File("cmvn.txt");
    Run(Verbatim() + " tokenizer train " + opts.tokenizer_flags + " --text " + data +
        "/text --out " + tokenizer);
    if (opts.cmvn)
      Run(Verbatim() + " compute-cmvn --config " + config + " --out " + cmvn + " " + data +
          "/wav.scp");
    Run(TrainCommand(config, exp) + (opts.dev ? " --dev " + data : ""));
  }

  // The audio file of utterance `i`.
  std::string Audio(int i) const { return dir.File("utt" + std::to_string(i) + ".wav"); }

  static std::string Verbatim() { return "env OMP_WAIT_POLICY=PASSIVE " VERBATIM_BINARY; }

  // `verbatim train` of `config_path` on this data into `exp_dir`.
  std::string TrainCommand(const std::string& config_path, const std::string& exp_dir) const {
    return "timeout 300 " + Verbatim() + " train --config " + config_path + " --train " + data +
           " --tokenizer " + tokenizer + (cmvn.empty() ? "" : " --cmvn " + cmvn) + " --exp " +
           exp_dir + " --threads 1";
  }

 private:
  void Run(const std::string& command) {
    std::string out;
    const int status = RunCommand(command, &out);
    log += out;
    INFO(command << "\n" << out);
    REQUIRE(status == 0);
  }
};

}  // namespace test
}  // namespace verbatim
