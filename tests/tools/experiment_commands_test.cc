// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim average`, `export`, `plot` and `plot-attention` end to end on a
// tiny model trained here (tones with made-up transcripts: plumbing only).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/asr/plot/svg_inspector.h"
#include "tests/test_util.h"
#include "tests/tools/tiny_experiment.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = "OMP_WAIT_POLICY=PASSIVE " + std::string(VERBATIM_BINARY);

int Lines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) ++n;
  return n;
}

// data/ (8 utterances), tok/ (char), cmvn.txt and exp/ trained for three
// epochs with validation, all in one temporary folder.
struct TinyExperiment : test::TinyExperiment {
  TinyExperiment() : test::TinyExperiment(Options()) {}
  static test::TinyExperimentOptions Options() {
    test::TinyExperimentOptions o;
    o.utterances = test::ToneUtterances(8, [](int i) { return 8000 + 1000 * (i % 3); });
    o.config =
        "model: {d_model: 32, num_heads: 2, ffn_dim: 64, encoder_layers: 1,"
        " decoder_layers: 2, subsampling_channels: 8}\n"
        "features: {num_mel_bins: 20}\n"
        "batching: {max_frames: 150}\n"  // two utterances per batch
        "training: {epochs: 3, peak_lr: 0.002, warmup_steps: 2, log_interval: 1,"
        " keep_last: 3, num_workers: 1, seed: 3}\n";
    o.tokenizer_flags = "--type char --normalize librispeech";
    o.cmvn = true;
    o.dev = true;
    return o;
  }
};

std::string Run(const std::string& args, int* status) {
  std::string out;
  *status = test::RunCommand(kVerbatim + " " + args, &out);
  return out;
}

TEST_CASE("verbatim average and export write model directories that decode", "[tools][average]") {
  TinyExperiment t;
  const std::string ckpt = t.exp + "/checkpoints/";
  REQUIRE(fs::exists(ckpt + "epoch-3.pt"));
  int status = 0;
  std::string out;

  // The average of the last two epochs differs from each of them, and is
  // what decode loads.
  out = Run("average --exp " + t.exp + " --last 2 --tokenizer " + t.tokenizer + " --cmvn " +
                t.cmvn + " --out " + t.dir.File("avg2"),
            &status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("mean of 2 checkpoint(s): epoch-2.pt epoch-3.pt") != std::string::npos);
  for (const char* f : {"model.yaml", "model.pt", "tokenizer/tokenizer.model", "cmvn.txt"})
    CHECK(fs::exists(t.dir.File("avg2/") + f));
  out = Run("decode --model " + t.dir.File("avg2") + " --data " + t.data + " --out " +
                t.dir.File("dec") + " --beam 2 --threads 1",
            &status);
  CHECK(status == 0);
  CHECK(Lines(t.dir.File("dec/text")) == 8);

  // export (latest = epoch 3) equals average --last 1, byte for byte in the weights.
  REQUIRE(Run("export --exp " + t.exp + " --tokenizer " + t.tokenizer + " --cmvn " + t.cmvn +
                  " --out " + t.dir.File("latest"),
              &status)
              .size() > 0);
  REQUIRE(status == 0);
  Run("average --exp " + t.exp + " --last 1 --tokenizer " + t.tokenizer + " --cmvn " + t.cmvn +
          " --out " + t.dir.File("last1"),
      &status);
  REQUIRE(status == 0);
  CHECK(test::RunCommand("cmp -s " + t.dir.File("latest/model.pt") + " " +
                         t.dir.File("last1/model.pt")) == 0);
  CHECK(test::RunCommand("cmp -s " + t.dir.File("latest/model.pt") + " " +
                         t.dir.File("avg2/model.pt")) != 0);
  // export of an explicit epoch, tokenizer and CMVN found in EXP/model (train exported it).
  out = Run(
      "export --exp " + t.exp + " --checkpoint " + ckpt + "epoch-2.pt --out " + t.dir.File("e2"),
      &status);
  CHECK(status == 0);
  CHECK(out.find("warning") == std::string::npos);
  CHECK(fs::exists(t.dir.File("e2/cmvn.txt")));

  // --best with a list written as the trainer will: best first, names or paths.
  {
    std::ofstream best(ckpt + "best");
    best << "epoch-3.pt\n" << ckpt << "epoch-1.pt\nepoch-2.pt\n";
  }
  out = Run("average --exp " + t.exp + " --best 2 --out " + t.dir.File("best2"), &status);
  CHECK(status == 0);
  CHECK(out.find("mean of 2 checkpoint(s): epoch-3.pt epoch-1.pt") != std::string::npos);
  out = Run("average --exp " + t.exp + " --best 10 --out " + t.dir.File("best10"), &status);
  CHECK(status == 0);
  CHECK(out.find("10 checkpoints asked for, 3 available") != std::string::npos);
}

TEST_CASE("verbatim average and export explain what is missing", "[tools][average]") {
  TinyExperiment t;
  int status = 0;
  fs::remove(t.exp + "/checkpoints/best");  // as from a trainer that ranks nothing
  std::string out = Run("average --exp " + t.exp + " --best 3 --out " + t.dir.File("m"), &status);
  CHECK(status == 1);
  CHECK(out.find(t.exp + "/checkpoints/best: no list of best checkpoints") != std::string::npos);
  out = Run("average --exp " + t.exp + " --out " + t.dir.File("m"), &status);
  CHECK(status == 1);
  CHECK(out.find("give --last N or --best N") != std::string::npos);
  out = Run("average --exp " + t.exp + " --last 2 --best 2 --out " + t.dir.File("m"), &status);
  CHECK(status != 0);
  out =
      Run("average --exp " + t.dir.File("nowhere") + " --last 2 --out " + t.dir.File("m"), &status);
  CHECK(status == 1);
  CHECK(out.find(t.dir.File("nowhere") + ": no such experiment directory") != std::string::npos);
  {
    std::ofstream best(t.exp + "/checkpoints/best");
    best << "epoch-1.pt\nepoch-77.pt\n";
  }
  out = Run("average --exp " + t.exp + " --best 2 --out " + t.dir.File("m"), &status);
  CHECK(status == 1);
  CHECK(out.find("checkpoints/best:2: checkpoint " + t.exp +
                 "/checkpoints/epoch-77.pt does not "
                 "exist") != std::string::npos);
  // Without EXP/model and without flags there is no tokenizer to take.
  fs::remove_all(t.exp + "/model");
  out = Run("export --exp " + t.exp + " --out " + t.dir.File("m"), &status);
  CHECK(status == 1);
  CHECK(out.find("give the training tokenizer with --tokenizer") != std::string::npos);
  out = Run("export --exp " + t.exp + " --tokenizer " + t.tokenizer + " --out " + t.dir.File("m"),
            &status);
  CHECK(status == 0);
  CHECK(out.find("warning: no CMVN statistics") != std::string::npos);
  CHECK(!fs::exists(t.dir.File("m/cmvn.txt")));
  out = Run("export --exp " + t.exp + " --checkpoint " + t.dir.File("none.pt") + " --tokenizer " +
                t.tokenizer + " --out " + t.dir.File("m"),
            &status);
  CHECK(status == 1);
  CHECK(out.find(t.dir.File("none.pt") + ": no such file") != std::string::npos);
  // A failed export leaves the model directory it would have replaced as it
  // was, and no temporary directory beside it.
  const std::string half_tokenizer = t.dir.File("half_tokenizer");
  fs::create_directories(half_tokenizer);
  fs::copy_file(t.tokenizer + "/tokenizer.model", half_tokenizer + "/tokenizer.model");
  const std::string before = test::ReadFile(t.dir.File("m/model.yaml"));
  out =
      Run("export --exp " + t.exp + " --tokenizer " + half_tokenizer + " --out " + t.dir.File("m"),
          &status);
  CHECK(status == 1);
  CHECK(out.find(half_tokenizer + "/tokenizer.yaml: no such file") != std::string::npos);
  CHECK(test::ReadFile(t.dir.File("m/model.yaml")) == before);
  for (const auto& entry : fs::directory_iterator(t.dir.path()))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("verbatim plot draws every logged step of a real training log", "[tools][plot]") {
  TinyExperiment t;
  const std::string log = t.exp + "/train.log.jsonl";
  int steps = 0, epochs = 0;
  {
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
      steps += line.find("\"type\":\"step\"") != std::string::npos;
      epochs += line.find("\"type\":\"epoch\"") != std::string::npos;
    }
  }
  REQUIRE(steps > 3);
  REQUIRE(epochs == 3);
  int status = 0;
  std::string out = Run("plot --log " + log + " --out " + t.dir.File("curves.svg"), &status);
  INFO(out);
  REQUIRE(status == 0);
  const test::SvgSummary s = test::InspectSvg(t.dir.File("curves.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.points.at("train loss") == steps);
  CHECK(s.points.at("lr") == steps);
  CHECK(s.points.at("dev loss") == epochs);
  CHECK(s.points.at("dev accuracy") == epochs);

  // Errors: a bad line names file:line; unknown image types are refused.
  {
    std::ofstream bad(t.dir.File("bad.jsonl"));
    bad << "{\"type\":\"step\",\"step\":1,\"loss\":2}\n{\"type\":\"step\",\"step\":2,\"loss\":}\n";
  }
  out = Run("plot --log " + t.dir.File("bad.jsonl") + " --out " + t.dir.File("x.svg"), &status);
  CHECK(status == 1);
  CHECK(out.find("verbatim plot: error: " + t.dir.File("bad.jsonl") + ":2: column") !=
        std::string::npos);
  CHECK(!fs::exists(t.dir.File("x.svg")));
  out = Run("plot --log " + log + " --out " + t.dir.File("x.gif"), &status);
  CHECK(status == 1);
  CHECK(out.find("x.gif: unknown image type") != std::string::npos);
  if (test::HaveProgram("rsvg-convert")) {
    out = Run("plot --log " + log + " --out " + t.dir.File("curves.png"), &status);
    CHECK(status == 0);
    std::ifstream png(t.dir.File("curves.png"), std::ios::binary);
    char magic[4] = {};
    png.read(magic, 4);
    CHECK(std::string(magic + 1, 3) == "PNG");
  }
}

TEST_CASE("verbatim plot-attention draws decoder steps x encoder frames", "[tools][plot]") {
  TinyExperiment t;
  const std::string model = t.exp + "/model";
  int status = 0;
  // Teacher forcing on a reference: rows = its characters + <eos>.
  std::string out = Run("plot-attention --model " + model + " --audio " + t.Audio(1) +
                            " --text \"the dog\" --layer 0 --out " + t.dir.File("a.svg"),
                        &status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("reference: THE DOG") != std::string::npos);
  // Rows: the reference's tokens + <eos>. Columns: 9000 samples -> 54
  // frames of 25 ms every 10 ms -> two convolutions (kernel 3, stride 2).
  const int frames = (9000 - 400) / 160 + 1;
  const int encoder_frames = ((frames - 3) / 2 + 1 - 3) / 2 + 1;
  std::string pieces;
  REQUIRE(
      test::RunCommand("echo 'THE DOG' | " + kVerbatim + " tokenizer encode --model " + t.tokenizer,
                       &pieces) == 0);
  std::istringstream ids(pieces);
  int tokens = 0;
  for (std::string id; ids >> id;) ++tokens;
  const test::SvgSummary s = test::InspectSvg(t.dir.File("a.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.rects == 1 + (tokens + 1) * encoder_frames + 32);
  CHECK(out.find(std::to_string(tokens + 1) + " decoder steps x " + std::to_string(encoder_frames) +
                 " encoder frames") != std::string::npos);
  CHECK(std::find(s.texts.begin(), s.texts.end(), "<eos>") != s.texts.end());

  // Decoding instead of a reference, one head, the last layer.
  out = Run("plot-attention --model " + model + " --audio " + t.Audio(1) + " --head 1 --beam 2" +
                " --out " + t.dir.File("b.svg"),
            &status);
  CHECK(status == 0);
  CHECK(out.find("decoded: ") != std::string::npos);
  CHECK(test::InspectSvg(t.dir.File("b.svg")).well_formed);

  out = Run("plot-attention --model " + model + " --audio " + t.Audio(1) + " --layer 2 --out " +
                t.dir.File("c.svg"),
            &status);
  CHECK(status == 1);
  CHECK(out.find("--layer 2: the model has 2 decoder layers") != std::string::npos);
  out = Run("plot-attention --model " + model + " --audio " + t.Audio(1) + " --head 2 --out " +
                t.dir.File("c.svg"),
            &status);
  CHECK(status == 1);
  CHECK(out.find("--head 2: the model has 2 heads") != std::string::npos);
}

}  // namespace
}  // namespace verbatim
