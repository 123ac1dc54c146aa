// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Broken model directories and checkpoints, end to end: each must stop
// `verbatim transcribe`, `train --resume` or `average` with exit status 1 and
// one error line naming the file at fault; never a crash (a signal), never a
// LibTorch backtrace, never a silent success. The model is a tiny one
// trained here for two epochs (plumbing only).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "asr/util/checksum.h"
#include "tests/test_util.h"
#include "tests/tools/tiny_experiment.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = "env OMP_WAIT_POLICY=PASSIVE " + std::string(VERBATIM_BINARY);

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The first `fraction` of a file's bytes, in place.
void Truncate(const std::string& path, double fraction) {
  const std::string bytes = test::ReadFile(path);
  WriteFile(path, bytes.substr(0, static_cast<size_t>(bytes.size() * fraction)));
}

// The whole lines within the first `fraction` of a text file, in place.
void TruncateLines(const std::string& path, double fraction) {
  const std::string text = test::ReadFile(path);
  const std::string head = text.substr(0, static_cast<size_t>(text.size() * fraction));
  WriteFile(path, head.substr(0, head.rfind('\n') + 1));
}

void Replace(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = test::ReadFile(path);
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  WriteFile(path, text.replace(at, from.size(), to));
}

// The tokenizer's checksum of these bytes, so that a garbage tokenizer.model
// gets past the checksum test.
std::string TokenizerChecksum(const std::string& bytes) {
  Fnv1a64 hash;
  hash.Update(bytes);
  return hash.ToString();
}

// The tiny experiment's configuration, with a model of width `d_model`.
std::string ConfigText(int d_model) {
  return "model: {d_model: " + std::to_string(d_model) +
         ", num_heads: 2, ffn_dim: 64, encoder_layers: 1, decoder_layers: 1,"
         " subsampling_channels: 8}\n"
         "features: {num_mel_bins: 20}\n"
         "batching: {max_frames: 1000000, max_batch_size: 2}\n"
         "training: {epochs: 2, warmup_steps: 1, num_workers: 1}\n";
}

// A fresh copy of exp/`what` of `t` (e.g. "model", or "" for all of exp).
std::string Copy(const test::TinyExperiment& t, const std::string& what, const std::string& name) {
  const std::string copy = t.dir.File(name);
  fs::remove_all(copy);
  fs::copy(t.exp + "/" + what, copy, fs::copy_options::recursive);
  return copy;
}

// data/ (4 utterances), a char tokenizer, cmvn.txt, and exp/ trained for two
// epochs of two steps (exp/model, exp/checkpoints/epoch-{1,2}.pt). Built once
// per test process (Experiment()); sections damage copies, never the original.
const test::TinyExperiment& Experiment() {
  static const test::TinyExperiment experiment([] {
    test::TinyExperimentOptions o;
    o.utterances = test::ToneUtterances(4, [](int) { return 16000; });
    o.config = ConfigText(32);
    o.cmvn = true;
    return o;
  }());
  REQUIRE(fs::exists(experiment.exp + "/checkpoints/epoch-2.pt"));
  return experiment;
}

// Runs `command`: exit status 1, and exactly one line, "verbatim ...: error:",
// which contains every one of `needles`.
void RequireCleanError(const std::string& command, const std::vector<std::string>& needles) {
  std::string out;
  const int status = test::RunCommand(command, &out);
  INFO(command << "\n" << out);
  CHECK(status == 1);
  const std::regex error_line("(^|\n)verbatim [a-z-]+: error: ([^\n]*)");
  std::smatch m;
  REQUIRE(std::regex_search(out, m, error_line));
  for (const std::string& needle : needles) CHECK(m[2].str().find(needle) != std::string::npos);
  CHECK(out.find("Exception raised from") == std::string::npos);  // no LibTorch backtrace
  CHECK(out.find("terminate called") == std::string::npos);
}

TEST_CASE("broken model directories stop transcribe with an error naming the file",
          "[tools][corrupt]") {
  const test::TinyExperiment& t = Experiment();
  const std::string transcribe = kVerbatim + " transcribe --model ";
  static bool checked_intact = false;  // the intact copy works: the damage is what fails
  if (!checked_intact) {
    std::string out;
    REQUIRE(test::RunCommand(transcribe + Copy(t, "model", "good") + " " + t.Audio(1), &out) == 0);
    checked_intact = true;
  }

  struct Case {
    std::string name;
    std::function<void(const std::string&)> damage;
    std::vector<std::string> needles;  // the model directory's path is prepended
  };
  const std::vector<Case> cases = {
      {"truncated_weights",
       [](const std::string& m) { Truncate(m + "/model.pt", 0.5); },
       {"/model.pt: not a readable checkpoint (truncated or corrupt)"}},
      {"weights_of_a_wider_model",
       [](const std::string& m) { Replace(m + "/model.yaml", "d_model: 32", "d_model: 48"); },
       {"/model.pt: '", "has shape", "the model expects"}},
      {"weights_of_a_deeper_model",
       [](const std::string& m) {
         Replace(m + "/model.yaml", "encoder_layers: 1", "encoder_layers: 2");
       },
       {"/model.pt: no tensor for", "a checkpoint of another model?"}},
      {"no_tokenizer",
       [](const std::string& m) { fs::remove_all(m + "/tokenizer"); },
       {": not a model directory (no tokenizer)"}},
      {"no_tokenizer_model",
       [](const std::string& m) { fs::remove(m + "/tokenizer/tokenizer.model"); },
       {"/tokenizer/tokenizer.model"}},
      {"foreign_tokenizer_model",
       [](const std::string& m) { WriteFile(m + "/tokenizer/tokenizer.model", "not a model"); },
       {"/tokenizer/tokenizer.model: does not belong to"}},
      {"garbage_tokenizer_model",
       [](const std::string& m) {
         const std::string garbage(300, '\x12');
         WriteFile(m + "/tokenizer/tokenizer.model", garbage);
         const std::string yaml = m + "/tokenizer/tokenizer.yaml";
         WriteFile(yaml, std::regex_replace(test::ReadFile(yaml), std::regex("fnv1a64:[0-9a-f]+"),
                                            TokenizerChecksum(garbage)));
       },
       {"/tokenizer/tokenizer.model: not a SentencePiece model"}},
      {"tokenizer_of_another_size",
       [](const std::string& m) { Replace(m + "/model.yaml", "vocab_size: ", "vocab_size: 1"); },
       {": the tokenizer has ", " tokens, the model 1"}},
      // Every key of model.yaml is required: a cut anywhere names what is
      // missing (here a key of the model section; then one of the last).
      {"truncated_model_yaml",
       [](const std::string& m) { TruncateLines(m + "/model.yaml", 0.3); },
       {"/model.yaml: missing key 'model."}},
      {"model_yaml_without_one_key",
       [](const std::string& m) { Replace(m + "/model.yaml", "norm_vars:", "# norm_vars:"); },
       {"/model.yaml: missing key 'cmvn.norm_vars'"}},
      {"garbage_model_yaml",
       [](const std::string& m) { WriteFile(m + "/model.yaml", "model: [1, 2\n  {"); },
       {"/model.yaml: line "}},
      {"garbage_cmvn",
       [](const std::string& m) { WriteFile(m + "/cmvn.txt", "hello\n"); },
       {"/cmvn.txt: not a Kaldi text matrix"}},
      {"cmvn_of_another_dimension",
       [](const std::string& m) { WriteFile(m + "/cmvn.txt", "[ 1 2 3\n 4 5 0 ]\n"); },
       {"/cmvn.txt: dimension 2, features have 20"}},
      {"nan_cmvn",
       [](const std::string& m) {
         std::string text = test::ReadFile(m + "/cmvn.txt");
         WriteFile(m + "/cmvn.txt", text.replace(text.find('[') + 1, 0, " nan"));
       },
       {"/cmvn.txt: not a finite number: 'nan'"}},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::string model = Copy(t, "model", c.name);
      c.damage(model);
      std::vector<std::string> needles = c.needles;
      needles.front() = model + needles.front();
      RequireCleanError(transcribe + model + " " + t.Audio(1), needles);
    }
  }
}

TEST_CASE("broken checkpoints stop resume and average with an error naming the file",
          "[tools][corrupt]") {
  const test::TinyExperiment& t = Experiment();
  const std::string exp = Copy(t, "", "exp_copy");
  const std::string checkpoints = exp + "/checkpoints", latest = checkpoints + "/epoch-2.pt";
  REQUIRE(test::ReadFile(checkpoints + "/latest") == "epoch-2.pt\n");
  const std::string average = kVerbatim + " average --exp " + exp + " --out " + t.dir.File("avg");
  const std::string resume = t.TrainCommand(t.config, exp) + " --resume";

  SECTION("intact: both work (resuming a finished run trains nothing)") {
    std::string out;
    CHECK(test::RunCommand(average + " --last 2", &out) == 0);
    CHECK(test::RunCommand(resume, &out) == 0);
  }
  SECTION("truncated") {
    Truncate(latest, 0.6);
    RequireCleanError(resume, {latest + ": not a readable checkpoint (truncated or corrupt)"});
    RequireCleanError(average + " --last 2", {latest + ": not a readable checkpoint"});
  }
  SECTION("empty") {
    Truncate(latest, 0.0);
    RequireCleanError(resume, {latest + ": not a readable checkpoint"});
    RequireCleanError(average + " --last 1", {latest + ": not a readable checkpoint"});
  }
  SECTION("of another model size") {
    std::ofstream(t.dir.File("wide.yaml")) << ConfigText(48);
    const std::string config_before = test::ReadFile(exp + "/config.yaml");
    RequireCleanError(t.TrainCommand(t.dir.File("wide.yaml"), exp) + " --resume",
                      {latest + ": '", "has shape"});
    // The experiment still describes its checkpoints: average works.
    CHECK(test::ReadFile(exp + "/config.yaml") == config_before);
    std::string out;
    CHECK(test::RunCommand(average + " --last 2", &out) == 0);
  }
  SECTION("latest names a missing file") {
    WriteFile(checkpoints + "/latest", "epoch-9.pt\n");
    RequireCleanError(resume, {checkpoints + "/epoch-9.pt: no such file"});
  }
}

}  // namespace
}  // namespace verbatim
