// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim train` end to end on a tiny generated corpus:
// - data-parallel equivalence: 2 processes (loopback, Gloo) with batch B
//   each follow the same losses and end with the same parameters as 1
//   process with batch 2B (no dropout, no augmentation, no dither);
// - a rendezvous that nobody joins is a clear error within its timeout;
// - --init: fine-tuning a trained model on a new "voice" lowers its WER;
// - SIGINT: the step finishes, a checkpoint is written, exit status 130, and
//   --resume completes the run.
// Every run is bounded by `timeout`, so a hang fails instead of blocking.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;
// Kills the background run $pid after 300 s, so that a test cannot hang;
// kWatchdogEnd stops it (its output is detached so nobody waits for it).
const std::string kWatchdog = "(sleep 300; kill -KILL $pid) >/dev/null 2>&1 & watchdog=$!\n";
const std::string kWatchdogEnd = "kill $watchdog 2>/dev/null\n";

// `count` utterances of exactly 1 s (equal lengths: batches are consecutive
// utterances, so rank 0's batch i and rank 1's batch i together are the
// single process's batch i), random words of a few letters, a char tokenizer.
struct TinyCorpus {
  test::TempDir tmp;
  std::string data = tmp.File("data");
  std::string tokenizer = tmp.File("tokenizer");

  explicit TinyCorpus(int count, int samples = 16000) {
    REQUIRE(test::RunCommand("mkdir -p " + data) == 0);
    Random rng(11);
    std::ofstream wav(data + "/wav.scp"), text(data + "/text"), spk(data + "/utt2spk");
    const char* words[] = {"ab", "ba", "cab", "dad", "bad", "ace"};
    for (int i = 0; i < count; ++i) {
      const std::string id = "utt" + std::to_string(100 + i);
      const double freq = 200.0 + 150.0 * i;
      std::vector<float> x = test::Sine(freq, 16000, samples, 0.3);
      for (float& v : x) v += static_cast<float>(0.05 * rng.Gaussian());
      test::WriteAudio(data + "/" + id + ".wav", x, 16000, 1);
      wav << id << " " << data << "/" << id << ".wav\n";
      std::string line;
      for (int w = 0; w < 2 + i % 3; ++w) line += std::string(w ? " " : "") + words[(i + w) % 6];
      text << id << " " << line << "\n";
      spk << id << " " << id << "\n";
    }
    wav.close();
    text.close();
    REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --text " + data +
                             "/text --type char --normalize none --out " + tokenizer) == 0);
  }

  // A tiny deterministic model and batches of `batch` utterances in order.
  std::string Config(int batch, int epochs, const std::string& name, int d_model = 32,
                     int encoder_layers = 2) const {
    const std::string path = tmp.File(name);
    std::ofstream(path) << "model: {d_model: " << d_model
                        << ", num_heads: 2, ffn_dim: 64, encoder_layers: " << encoder_layers
                        << ",\n"
                        << "        decoder_layers: 1, dropout: 0.0, attention_dropout: 0.0,\n"
                        << "        subsampling_channels: 8}\n"
                        << "features: {dither: 0.0, num_mel_bins: 20}\n"
                        << "batching: {max_frames: 1000000, max_batch_size: " << batch
                        << ", shuffle: false, length_jitter: 0.0}\n"
                        << "training: {epochs: " << epochs
                        << ", peak_lr: 0.002, warmup_steps: 3, log_interval: 1, num_workers: 1}\n";
    return path;
  }

  // Bounded by `timeout` unless `bounded` is off (signals must reach the
  // trainer itself: $! of `timeout` would be `timeout`).
  std::string Train(const std::string& config, const std::string& exp, bool bounded = true) const {
    return (bounded ? "timeout 300 " : "") + kVerbatim + " train --config " + config + " --train " +
           data + " --dev " + data + " --tokenizer " + tokenizer + " --exp " + exp + " --threads 1";
  }
};

// The loss fields of the step (or epoch) lines of a train.log.jsonl.
std::vector<std::map<std::string, double>> LogLines(const std::string& path,
                                                    const std::string& type) {
  std::vector<std::map<std::string, double>> lines;
  std::istringstream in(test::ReadFile(path));
  const std::regex field("\"([a-z_]+)\":(-?[0-9.eE+-]+|nan|inf)");
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"type\":\"" + type + "\"") == std::string::npos) continue;
    std::map<std::string, double> values;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), field);
         it != std::sregex_iterator(); ++it)
      values[(*it)[1]] = std::stod((*it)[2]);
    lines.push_back(values);
  }
  return lines;
}

TEST_CASE("2 processes with batch B train like 1 process with batch 2B",
          "[tools][train][distributed]") {
  TinyCorpus corpus(12);
  const std::string single = corpus.tmp.File("exp1"), dual = corpus.tmp.File("exp2");
  std::string log;
  const int single_status =
      test::RunCommand(corpus.Train(corpus.Config(4, 2, "b4.yaml"), single), &log);
  INFO(log);
  REQUIRE(single_status == 0);

  const int port = test::FreePort();
  const std::string common =
      corpus.Train(corpus.Config(2, 2, "b2.yaml"), dual) + " --rendezvous-timeout 60";
  // Rank 0 from flags, rank 1 from torchrun's environment variables.
  const std::string both =
      "(" + common + " --world-size 2 --rank 0 --master-port " + std::to_string(port) + " > " +
      corpus.tmp.File("rank0.log") + " 2>&1; echo $? > " + corpus.tmp.File("rank0.rc") +
      ") & (WORLD_SIZE=2 RANK=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " " +
      common + " > " + corpus.tmp.File("rank1.log") + " 2>&1; echo $? > " +
      corpus.tmp.File("rank1.rc") + ") & wait";
  REQUIRE(test::RunCommand(both) == 0);
  INFO("rank 0: " << test::ReadFile(corpus.tmp.File("rank0.log")));
  INFO("rank 1: " << test::ReadFile(corpus.tmp.File("rank1.log")));
  REQUIRE(test::ReadFile(corpus.tmp.File("rank0.rc")) == "0\n");
  REQUIRE(test::ReadFile(corpus.tmp.File("rank1.rc")) == "0\n");
  CHECK(test::ReadFile(corpus.tmp.File("rank1.log")).find("rank 1 of 2") != std::string::npos);

  // Same losses at every one of the 6 steps, and the same dev results.
  for (const char* type : {"step", "epoch"}) {
    const auto a = LogLines(single + "/train.log.jsonl", type);
    const auto b = LogLines(dual + "/train.log.jsonl", type);
    REQUIRE(a.size() == (std::string(type) == "step" ? 6u : 2u));
    REQUIRE(b.size() == a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      INFO(type << " " << i);
      CHECK(b[i].at("step") == a[i].at("step"));
      for (const char* key : {"loss", "ctc", "attention", "lr"})
        CHECK(b[i].at(key) == Approx(a[i].at(key)).epsilon(1e-4));
      if (std::string(type) == "epoch") CHECK(b[i].at("wer") == Approx(a[i].at("wer")));
    }
  }
  // Only rank 0 wrote the experiment. (The gradients of the two ranks are
  // compared with one process's, to float32 rounding, in
  // tests/asr/train/trainer_test.cc.)
  CHECK(test::ReadFile(dual + "/checkpoints/latest") == "epoch-2.pt\n");
}

// Spelled words as tones, a "voice": every letter a 0.1 s tone of its own
// frequency times `pitch` (a: 400 Hz, b: 800, c: 1600, d: 3000, e: 5000),
// words apart by silence, a little noise. A tiny model learns to read one
// voice in a couple of hundred steps, and then cannot read another.
void WriteSpelledVoice(const std::string& dir, double pitch,
                       const std::vector<std::string>& texts) {
  REQUIRE(test::RunCommand("mkdir -p " + dir) == 0);
  const std::map<char, double> hz = {{'a', 400}, {'b', 800}, {'c', 1600}, {'d', 3000}, {'e', 5000}};
  Random rng(11);
  std::ofstream wav(dir + "/wav.scp"), text(dir + "/text"), spk(dir + "/utt2spk");
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<float> x(1600, 0.0f);
    for (char c : texts[i]) {
      if (c == ' ') {
        x.insert(x.end(), 2400, 0.0f);
        continue;
      }
      const std::vector<float> tone = test::Sine(hz.at(c) * pitch, 16000, 1600, 0.3);
      x.insert(x.end(), tone.begin(), tone.end());
      x.insert(x.end(), 320, 0.0f);
    }
    x.insert(x.end(), 2400, 0.0f);
    for (float& v : x) v += static_cast<float>(0.01 * rng.Gaussian());
    const std::string id = "utt" + std::to_string(100 + i), path = dir + "/" + id + ".wav";
    test::WriteAudio(path, x, 16000, 1);
    wav << id << " " << path << "\n";
    text << id << " " << texts[i] << "\n";
    spk << id << " " << id << "\n";
  }
}

TEST_CASE("fine-tuning with --init lowers the WER of a voice the model never heard",
          "[tools][train][init]") {
  test::TempDir tmp;
  const std::vector<std::string> texts = {"ab ba",   "ba cab dad", "cab dad bad ace",
                                          "dad bad", "bad ace ab", "ace ab ba cab"};
  const std::string voice_a = tmp.File("voice_a"), voice_b = tmp.File("voice_b");
  WriteSpelledVoice(voice_a, 1.0, texts);
  WriteSpelledVoice(voice_b, 0.7, texts);
  const std::string tokenizer = tmp.File("tokenizer");
  REQUIRE(test::RunCommand(kVerbatim + " tokenizer train --text " + voice_a +
                           "/text --type char --normalize none --out " + tokenizer) == 0);
  const auto config = [&](int epochs, int d_model, const std::string& name) {
    const std::string path = tmp.File(name);
    std::ofstream(path)
        << "model: {d_model: " << d_model
        << ", num_heads: 2, ffn_dim: 64, encoder_layers: 2, decoder_layers: 1,\n"
        << "        dropout: 0.0, attention_dropout: 0.0, subsampling_channels: 8}\n"
        << "features: {dither: 0.0, num_mel_bins: 20}\n"
        << "batching: {max_frames: 1000000, shuffle: false, length_jitter: 0.0}\n"
        << "training: {epochs: " << epochs
        << ", peak_lr: 0.01, warmup_steps: 10, ctc_weight: 0.9, num_workers: 1}\n";
    return path;
  };
  const auto train = [&](const std::string& conf, const std::string& data, const std::string& exp) {
    return "timeout 300 " + kVerbatim + " train --config " + conf + " --train " + data +
           " --tokenizer " + tokenizer + " --exp " + exp + " --threads 1";
  };
  // CTC greedy WER of `model` on `data` (verbatim decode, sclite's figures).
  int decodes = 0;
  const auto wer = [&](const std::string& model, const std::string& data) {
    const std::string out = tmp.File("decode" + std::to_string(++decodes));
    REQUIRE(test::RunCommand(kVerbatim + " decode --model " + model + " --data " + data +
                             " --out " + out + " --search ctc_greedy") == 0);
    const std::string summary = test::ReadFile(out + "/wer");
    const std::smatch m = [&] {
      std::smatch match;
      std::regex_search(summary, match, std::regex("%WER ([0-9.]+)"));
      return match;
    }();
    REQUIRE(m.size() == 2);
    return std::stod(m[1]);
  };
  std::string log;
  const std::string trained = tmp.File("exp_a");
  const int trained_status =
      test::RunCommand(train(config(200, 32, "a.yaml"), voice_a, trained), &log);
  INFO(log);
  REQUIRE(trained_status == 0);
  const double a_before = wer(trained + "/model", voice_a);
  const double b_before = wer(trained + "/model", voice_b);
  // Fine-tuned on voice B from that model, the encoder frozen for 10 steps.
  const std::string tuned = tmp.File("exp_b");
  std::string tune_log;
  const int tune_status =
      test::RunCommand(train(config(100, 32, "b.yaml"), voice_b, tuned) + " --init " + trained +
                           "/model --freeze-encoder-steps 10",
                       &tune_log);
  INFO(tune_log);
  REQUIRE(tune_status == 0);
  CHECK(tune_log.find("75 tensors copied, 0 initialized at random") != std::string::npos);
  CHECK(test::ReadFile(tuned + "/config.yaml").find("model_dir: " + trained + "/model") !=
        std::string::npos);
  const double b_after = wer(tuned + "/model", voice_b);
  INFO("WER: voice A " << a_before << "%; voice B " << b_before << "% before fine-tuning, "
                       << b_after << "% after");
  CHECK(a_before < 10.0);
  CHECK(b_before > 50.0);
  CHECK(b_after < 0.5 * b_before);
  // A model directory of another network is refused with its name.
  std::string wide_log;
  const int wide = test::RunCommand(
      train(config(1, 48, "w.yaml"), voice_b, tmp.File("exp_w")) + " --init " + trained + "/model",
      &wide_log);
  INFO(wide_log);
  CHECK(wide != 0);
  CHECK(wide_log.find(trained + "/model: ") != std::string::npos);
}

TEST_CASE("a rendezvous that nobody joins fails within its timeout",
          "[tools][train][distributed]") {
  TinyCorpus corpus(2);
  std::string log;
  const int status =
      test::RunCommand(corpus.Train(corpus.Config(2, 1, "c.yaml"), corpus.tmp.File("exp")) +
                           " --world-size 2 --rank 1 --master-port " +
                           std::to_string(test::FreePort()) + " --rendezvous-timeout 2",
                       &log);
  INFO(log);
  CHECK(status == 1);
  CHECK(log.find("rank 1 of 2: no rendezvous at 127.0.0.1:") != std::string::npos);
  CHECK(log.find("within 2 s") != std::string::npos);
}

TEST_CASE("SIGINT writes a checkpoint, exits 130, and --resume completes the run",
          "[tools][train][signal]") {
  // Steps of 8-s utterances through a wider model take long enough (tens of
  // milliseconds even on a fast machine) that the SIGINT sent right after
  // step 3 is logged lands well before the last of the 32 steps.
  TinyCorpus corpus(16, 16000 * 8);
  const std::string exp = corpus.tmp.File("exp");
  const std::string train = corpus.Train(corpus.Config(1, 2, "c.yaml", 128, 4), exp, false);
  // Start, wait for 3 logged steps (at most 120 s), then SIGINT.
  const std::string script = train + " > " + corpus.tmp.File("run.log") + " 2>&1 & pid=$!\n" +
                             kWatchdog +
                             "for i in $(seq 1 6000); do\n"
                             "  n=$(grep -c '\"type\":\"step\"' " +
                             exp +
                             "/train.log.jsonl 2>/dev/null)\n"
                             "  [ \"${n:-0}\" -ge 3 ] && break; sleep 0.02\n"
                             "done\n"
                             "kill -INT $pid; wait $pid; echo $? > " +
                             corpus.tmp.File("rc") + "\n" + kWatchdogEnd;
  std::ofstream(corpus.tmp.File("run.sh")) << script;
  REQUIRE(test::RunCommand("bash " + corpus.tmp.File("run.sh")) == 0);
  const std::string log = test::ReadFile(corpus.tmp.File("run.log"));
  INFO(log);
  CHECK(test::ReadFile(corpus.tmp.File("rc")) == "130\n");
  CHECK(log.find("stopped by SIGINT at step") != std::string::npos);
  const std::string latest = test::ReadFile(exp + "/checkpoints/latest");
  REQUIRE(std::regex_match(latest, std::regex("(step|epoch)-[0-9]+\\.pt\n")));
  CHECK(std::ifstream(exp + "/checkpoints/" + latest.substr(0, latest.size() - 1)).good());
  CHECK_FALSE(std::ifstream(exp + "/model/model.pt").good());  // no export when interrupted
  const auto before = LogLines(exp + "/train.log.jsonl", "step");
  REQUIRE(before.size() >= 3);

  std::string resumed;
  REQUIRE(test::RunCommand(train + " --resume", &resumed) == 0);
  INFO(resumed);
  CHECK(resumed.find("resuming from") != std::string::npos);
  const auto after = LogLines(exp + "/train.log.jsonl", "step");
  REQUIRE(after.size() == 32);  // 16 batches x 2 epochs, each step logged once
  for (size_t i = 0; i < after.size(); ++i) CHECK(after[i].at("step") == i + 1);
  CHECK(std::ifstream(exp + "/model/model.pt").good());
}

TEST_CASE("a second SIGINT stops at once, without a checkpoint", "[tools][train][signal]") {
  // Steps of a few seconds (long utterances, a large model), so that both
  // signals land inside the same step: the first right after step 1 is
  // logged, the second as soon as the first has been handled.
  TinyCorpus corpus(6, 16000 * 25);
  const std::string exp = corpus.tmp.File("exp");
  const std::string train = corpus.Train(corpus.Config(2, 50, "c.yaml", 512, 12), exp, false);
  const std::string script = train + " > " + corpus.tmp.File("run.log") + " 2>&1 & pid=$!\n" +
                             kWatchdog +
                             "for i in $(seq 1 3000); do\n"
                             "  grep -q '\"type\":\"step\"' " +
                             exp +
                             "/train.log.jsonl 2>/dev/null && break; sleep 0.05\n"
                             "done\n"
                             "kill -INT $pid\n"
                             "for i in $(seq 1 200); do grep -q 'stopping after this step' " +
                             corpus.tmp.File("run.log") +
                             " && break; sleep 0.01; done\n"
                             "kill -INT $pid; wait $pid; echo $? > " +
                             corpus.tmp.File("rc") + "\n" + kWatchdogEnd;
  std::ofstream(corpus.tmp.File("run.sh")) << script;
  REQUIRE(test::RunCommand("bash " + corpus.tmp.File("run.sh")) == 0);
  const std::string log = test::ReadFile(corpus.tmp.File("run.log"));
  INFO(log);
  CHECK(test::ReadFile(corpus.tmp.File("rc")) == "130\n");
  CHECK(log.find("stopping after this step") != std::string::npos);
  CHECK(log.find("stopped by SIGINT at step") == std::string::npos);
  CHECK_FALSE(std::ifstream(exp + "/checkpoints/latest").good());
}

}  // namespace
}  // namespace verbatim
