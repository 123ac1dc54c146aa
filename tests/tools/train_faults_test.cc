// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Faults during `verbatim train`:
// - kill -9 at random moments (many of them while a checkpoint is being
//   written), restart with --resume, again and again for 40 s, then run to
//   the end (tests/tools/kill_resume_loop.sh): every checkpoint `latest`
//   names exists and loads, no step is skipped, the run ends where an
//   uninterrupted one does;
// - a full disk while a checkpoint is written (a file size limit, ulimit -f,
//   which every machine allows, unlike mounting a small file system): a
//   clear error, exit status 1, and the previous checkpoint stays the latest
//   and loads.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = "env OMP_WAIT_POLICY=PASSIVE " + std::string(VERBATIM_BINARY);

// Four 1-s utterances of tones in noise and a char tokenizer.
struct TinyCorpus {
  test::TempDir tmp;
  std::string data = tmp.File("data"), tokenizer = tmp.File("tokenizer");

  TinyCorpus() {
    fs::create_directories(data);
    Random rng(5);
    std::ofstream wav(data + "/wav.scp"), text(data + "/text"), spk(data + "/utt2spk");
    const char* texts[] = {"ab ba", "cab", "dad bad", "ace"};
    for (int i = 0; i < 4; ++i) {
      const std::string id = "utt" + std::to_string(i), path = data + "/" + id + ".wav";
      std::vector<float> x = test::Sine(200.0 + 150.0 * i, 16000, 16000, 0.3);
      for (float& v : x) v += static_cast<float>(0.05 * rng.Gaussian());
      test::WriteAudio(path, x, 16000, 1);
      wav << id << " " << path << "\n";
      text << id << " " << texts[i] << "\n";
      spk << id << " " << id << "\n";
    }
    wav.close(), text.close(), spk.close();
    std::string log;
    const int status = test::RunCommand(kVerbatim + " tokenizer train --text " + data +
                                            "/text --type char --normalize none --out " + tokenizer,
                                        &log);
    INFO(log);
    REQUIRE(status == 0);
  }

  // A tiny model, one utterance per step (4 steps per epoch).
  std::string Config(const std::string& name, int epochs, int checkpoint_every) const {
    std::ofstream(tmp.File(name))
        << "model: {d_model: 32, num_heads: 2, ffn_dim: 64, encoder_layers: 1,"
           " decoder_layers: 1, dropout: 0.0, attention_dropout: 0.0, subsampling_channels: 8}\n"
           "features: {dither: 0.0, num_mel_bins: 20}\n"
           "batching: {max_frames: 1000000, max_batch_size: 1, shuffle: false,"
           " length_jitter: 0.0}\n"
           "training: {epochs: "
        << epochs << ", peak_lr: 0.002, warmup_steps: 3, log_interval: 1, num_workers: 1,"
        << " checkpoint_every: " << checkpoint_every << "}\n";
    return tmp.File(name);
  }

  std::string Train(const std::string& config, const std::string& exp) const {
    return kVerbatim + " train --config " + config + " --train " + data + " --tokenizer " +
           tokenizer + " --exp " + exp + " --threads 1";
  }
};

TEST_CASE("kill -9 at random moments, then --resume: training completes",
          "[tools][train][faults]") {
  TinyCorpus corpus;
  const std::string exp = corpus.tmp.File("exp");
  // 100 epochs of 4 steps, a checkpoint after every step: about 30 s of
  // uninterrupted training here, so that the kills of the first 40 s land
  // all over the run.
  const std::string script = test::GoldenDir() + "/../tools/kill_resume_loop.sh";
  std::string out;
  const int status = test::RunCommand("bash " + script + " 40 400 " + exp + " " +
                                          corpus.Train(corpus.Config("c.yaml", 100, 1), exp),
                                      &out);
  INFO(out);
  REQUIRE(status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(out, m, std::regex("kills survived: ([0-9]+)")));
  std::cerr << "train faults: " << out;
  CHECK(std::stoi(m[1]) >= 3);  // the loop did test something
  CHECK(test::ReadFile(exp + "/checkpoints/latest") == "epoch-100.pt\n");
  // The kept epoch checkpoints load (average reads each of them).
  CHECK(test::RunCommand(
            kVerbatim + " average --exp " + exp + " --last 3 --out " + corpus.tmp.File("avg"),
            &out) == 0);
  CHECK(fs::exists(exp + "/model/model.pt"));
}

TEST_CASE("a full disk while writing a checkpoint is an error, the last one stays",
          "[tools][train][faults]") {
  TinyCorpus corpus;
  const std::string exp = corpus.tmp.File("exp"), checkpoints = exp + "/checkpoints";
  std::string out;
  REQUIRE(test::RunCommand(corpus.Train(corpus.Config("one.yaml", 1, 0), exp), &out) == 0);
  REQUIRE(test::ReadFile(checkpoints + "/latest") == "epoch-1.pt\n");
  const auto size = fs::file_size(checkpoints + "/epoch-1.pt");
  REQUIRE(size > 100000u);
  // Files may not grow past half a checkpoint; SIGXFSZ ignored, so that the
  // write fails with EFBIG as it fails with ENOSPC on a full disk.
  const std::string two = corpus.Config("two.yaml", 2, 0);
  const int status = test::RunCommand("ulimit -f " + std::to_string(size / 2048) +
                                          "; trap '' XFSZ; " + corpus.Train(two, exp) + " --resume",
                                      &out);
  INFO(out);
  CHECK(status == 1);
  CHECK(out.find("verbatim train: error: " + checkpoints +
                 "/epoch-2.pt: write failed (disk full?)") != std::string::npos);
  CHECK(out.find("terminate called") == std::string::npos);
  CHECK(test::ReadFile(checkpoints + "/latest") == "epoch-1.pt\n");
  CHECK_FALSE(fs::exists(checkpoints + "/epoch-2.pt"));
  for (const auto& entry : fs::directory_iterator(checkpoints))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
  // With space again, --resume continues from epoch 1 and completes.
  REQUIRE(test::RunCommand(corpus.Train(two, exp) + " --resume", &out) == 0);
  CHECK(out.find("resuming from " + checkpoints + "/epoch-1.pt") != std::string::npos);
  CHECK(test::ReadFile(checkpoints + "/latest") == "epoch-2.pt\n");
}

}  // namespace
}  // namespace verbatim
