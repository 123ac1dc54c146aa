// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <future>
#include <limits>
#include <map>

#include "asr/train/trainer.h"
#include "base/random.h"
#include "tests/asr/noise_utterance.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

struct TinySet {
  test::TempDir tmp;
  std::vector<Utterance> utts;
  std::vector<std::vector<int>> tokens;
  std::vector<double> durations;

  explicit TinySet(int n) {
    Random rng(7);
    for (int i = 0; i < n; ++i) {
      utts.push_back(test::NoiseUtterance(tmp, "u" + std::to_string(i), 8000, 8000, 0.2, &rng));
      durations.push_back(utts.back().duration_s);
      std::vector<int> t;
      for (int k = 0; k < 3 + i % 3; ++k) t.push_back(static_cast<int>(rng.UniformInt(3, 11)));
      tokens.push_back(t);
    }
  }

  // One loading thread, no augmentation.
  static DataLoaderOptions Loading() {
    DataLoaderOptions lo;
    lo.num_threads = 1;
    return lo;
  }
  // All utterances in one batch, in order: a step per epoch.
  static BatchSamplerOptions OneBatch() {
    BatchSamplerOptions so;
    so.max_frames = 100000;
    so.shuffle = false;
    return so;
  }
};

ModelOptions TinyModel(double dropout) {
  ModelOptions m;
  m.input_dim = 23;
  m.vocab_size = 12;
  m.d_model = 32;
  m.num_heads = 2;
  m.ffn_dim = 64;
  m.encoder_layers = 2;
  m.decoder_layers = 1;
  m.dropout = dropout;
  m.subsampling_channels = 16;
  return m;
}

TEST_CASE("a tiny model overfits a handful of utterances", "[trainer]") {
  TinySet set(4);
  DataLoader loader(set.utts, set.tokens, TinySet::Loading());
  BatchSampler sampler(set.durations, TinySet::OneBatch());
  TrainerOptions to;
  to.epochs = 400;
  to.label_smoothing = 0.0;
  to.lr.peak_lr = 4e-3;
  to.lr.warmup_steps = 20;
  to.log_interval = 1000;
  torch::manual_seed(0);
  test::TempDir exp;
  Trainer trainer(AsrModel(TinyModel(0.0)), to, exp.path(), "");
  const LossValues before = trainer.Evaluate(&loader, sampler.Batches(0));
  trainer.Train(&loader, sampler, nullptr, {}, false);
  const LossValues after = trainer.Evaluate(&loader, sampler.Batches(0));
  INFO("before " << before.total << " after " << after.total << " acc " << after.accuracy);
  CHECK(after.attention < 0.05 * before.attention);
  CHECK(after.attention < 0.2);  // nats per utterance
  CHECK(after.accuracy == 1.0);
  CHECK(after.ctc < 0.5 * before.ctc);
}

// Tensors of `model` that differ from `before` (by name), encoder's and others'.
std::pair<int, int> ChangedTensors(AsrModel& model,
                                   const std::map<std::string, torch::Tensor>& before) {
  int encoder = 0, other = 0;
  for (const auto& p : model->named_parameters())
    if (!torch::equal(p.value(), before.at(p.key())))
      ++(p.key().rfind("encoder.", 0) == 0 ? encoder : other);
  return {encoder, other};
}

TEST_CASE("a frozen encoder stays as it was for its steps, then trains", "[trainer]") {
  TinySet set(4);
  DataLoader loader(set.utts, set.tokens, TinySet::Loading());
  BatchSampler sampler(set.durations, TinySet::OneBatch());
  const auto run = [&](int64_t steps) {
    TrainerOptions to;
    to.epochs = 100;
    to.max_steps = steps;
    to.freeze_encoder_steps = 3;
    to.weight_decay = 0.01;  // would move parameters without a gradient too
    to.lr.warmup_steps = 1;
    to.log_interval = 1000;
    torch::manual_seed(0);
    test::TempDir exp;
    Trainer trainer(AsrModel(TinyModel(0.0)), to, exp.path(), "");
    std::map<std::string, torch::Tensor> before;
    for (const auto& p : trainer.model()->named_parameters())
      before.emplace(p.key(), p.value().detach().clone());
    trainer.Train(&loader, sampler, nullptr, {}, false);
    REQUIRE(trainer.step() == steps);
    return ChangedTensors(trainer.model(), before);
  };
  const auto [frozen_encoder, frozen_other] = run(3);
  CHECK(frozen_encoder == 0);
  CHECK(frozen_other > 0);
  const auto [encoder, other] = run(5);
  CHECK(encoder > 0);
  CHECK(other > 0);
}

std::vector<std::string> StepLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (line.find("\"type\":\"step\"") != std::string::npos) lines.push_back(line);
  return lines;
}

TEST_CASE("resuming from a checkpoint reproduces the uninterrupted run", "[trainer]") {
  TinySet set(12);
  DataLoaderOptions lo;
  lo.num_threads = 2;
  lo.speed_perturb = true;
  lo.spec_augment = true;
  lo.spec.freq_mask_max_width = 5;
  lo.spec.time_mask_max_width = 5;
  BatchSamplerOptions so;
  so.max_frames = 200;
  BatchSampler sampler(set.durations, so);
  TrainerOptions to;
  to.epochs = 4;
  to.accum_grad = 2;
  to.lr.warmup_steps = 5;
  to.log_interval = 1;
  to.sampling.max_probability = 0.3;  // exercises the RNG across the resume
  to.guided.weight = 0.5;
  auto run = [&](const std::string& dir, int64_t max_steps, bool resume) {
    DataLoader loader(set.utts, set.tokens, lo);
    DataLoader dev(set.utts, set.tokens, DataLoaderOptions());
    TrainerOptions o = to;
    o.max_steps = max_steps;
    torch::manual_seed(1);
    Trainer trainer(AsrModel(TinyModel(0.1)), o, dir, "config: test");
    trainer.Train(&loader, sampler, &dev, sampler.Batches(0), resume);
    return trainer.model()->parameters();
  };
  test::TempDir straight, interrupted;
  const auto expected = run(straight.path(), 0, false);
  run(interrupted.path(), 5, false);  // stops mid-epoch after 5 optimizer steps
  {
    // As if a kill had come after step 7, its checkpoint at step 5: steps 6
    // and 7 are logged, the last line cut. The resumed run logs them again.
    std::ofstream log(interrupted.path() + "/train.log.jsonl", std::ios::app);
    log << "{\"type\":\"step\",\"epoch\":0,\"step\":6,\"loss\":1}\n"
        << "{\"type\":\"step\",\"epoch\":0,\"step\":7,\"loss\":1}\n{\"type\":\"st";
  }
  const auto resumed = run(interrupted.path(), 0, true);
  REQUIRE(expected.size() == resumed.size());
  for (size_t i = 0; i < expected.size(); ++i) CHECK(torch::equal(expected[i], resumed[i]));
  const auto a = StepLines(straight.path() + "/train.log.jsonl");
  const auto b = StepLines(interrupted.path() + "/train.log.jsonl");
  REQUIRE(a.size() > 6);
  REQUIRE(b.size() == a.size());
  // Same losses at every step (the throughput field differs).
  for (size_t i = 0; i < a.size(); ++i)
    CHECK(a[i].substr(0, a[i].find("\"lr\"")) == b[i].substr(0, b[i].find("\"lr\"")));
}

// A run killed after logging its first steps but before its first
// checkpoint: the next start has nothing to resume and begins at step 0.
TEST_CASE("a start without a checkpoint drops the log lines of a killed run", "[trainer]") {
  TinySet set(4);
  DataLoaderOptions lo;
  lo.num_threads = 1;
  BatchSamplerOptions so;
  so.max_frames = 100000;
  so.max_batch_size = 1;
  so.shuffle = false;
  BatchSampler sampler(set.durations, so);
  TrainerOptions to;
  to.epochs = 1;
  to.log_interval = 1;
  test::TempDir exp;
  std::ofstream(exp.File("train.log.jsonl"))
      << "{\"type\":\"step\",\"epoch\":0,\"step\":1,\"loss\":1}\n"
      << "{\"type\":\"step\",\"epoch\":0,\"step\":2,\"loss\":1}\n{\"type\":\"st";
  struct Recorder : TrainingObserver {
    int started = 0, dropped = -1, steps = 0, epochs = 0;
    std::string checkpoint = "unset";
    void Started(const std::string& c, int64_t, int64_t, int64_t, int d) override {
      ++started;
      checkpoint = c;
      dropped = d;
    }
    void Stepped(const StepReport&) override { ++steps; }
    void EpochTrained(int64_t) override { ++epochs; }
  } recorder;
  DataLoader loader(set.utts, set.tokens, lo);
  Trainer trainer(AsrModel(TinyModel(0.0)), to, exp.path(), "");
  trainer.SetObserver(&recorder);
  trainer.Train(&loader, sampler, nullptr, {}, /*resume=*/true);
  const auto lines = StepLines(exp.File("train.log.jsonl"));
  REQUIRE(lines.size() == 4);
  for (size_t i = 0; i < lines.size(); ++i)
    CHECK(lines[i].find("\"step\":" + std::to_string(i + 1) + ",") != std::string::npos);
  CHECK(recorder.started == 1);
  CHECK(recorder.checkpoint.empty());
  CHECK(recorder.dropped == 3);
  CHECK(recorder.steps == 4);
  CHECK(recorder.epochs == 1);
}

// The parameters' gradients after one Step of `trainer` on `batch`, averaged
// over the ranks of `group` as an optimizer step averages them.
std::vector<torch::Tensor> AveragedGradients(Trainer& trainer, DistributedGroup& group,
                                             const Batch& batch) {
  trainer.Step(batch, /*backward=*/true);
  const auto parameters = trainer.model()->parameters();
  group.AverageGradients(parameters, static_cast<double>(batch.feats.size(0)));
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
  return grads;
}

double Norm(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>* b = nullptr) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto d = b ? (a[i] - (*b)[i]).to(torch::kDouble) : a[i].to(torch::kDouble);
    sum += d.square().sum().item<double>();
  }
  return std::sqrt(sum);
}

// Data-parallel training is the single-process computation summed in another
// order: two ranks of four utterances, all-reduced, must give the gradient of
// one process with all eight, to float32 rounding. The rounding is measured,
// not assumed: the single process's gradient of the same eight utterances in
// another order differs by it too. (Comparing parameters after Adam steps
// would not do: Adam turns rounding differences of tiny gradients into steps
// of up to the learning rate.)
TEST_CASE("two ranks average the gradient of one process to float32 rounding",
          "[trainer][distributed]") {
  TinySet set(8);
  DataLoaderOptions lo;
  lo.num_threads = 1;
  auto batch_of = [&](std::vector<int> utts) {
    DataLoader loader(set.utts, set.tokens, lo);
    loader.StartEpoch(0, {std::move(utts)});
    Batch b;
    REQUIRE(loader.Next(&b));
    return b;
  };
  const Batch all = batch_of({0, 1, 2, 3, 4, 5, 6, 7});
  const Batch reordered = batch_of({7, 3, 5, 1, 6, 2, 4, 0});
  const Batch halves[2] = {batch_of({0, 1, 2, 3}), batch_of({4, 5, 6, 7})};
  TrainerOptions to;
  to.guided.weight = 0.5;  // every loss term
  test::TempDir exp;
  auto model = [] {
    torch::manual_seed(5);
    return AsrModel(TinyModel(0.0));
  };
  DistributedGroup single(DistributedOptions(), torch::kCPU);
  Trainer one(model(), to, exp.File("one"), "", &single);
  const auto expected = AveragedGradients(one, single, all);
  Trainer other(model(), to, exp.File("other"), "", &single);
  const auto rounding = AveragedGradients(other, single, reordered);

  const int port = test::FreePort();
  AsrModel models[2] = {model(), model()};
  auto rank = [&](int r) {
    DistributedOptions o;
    o.world_size = 2;
    o.rank = r;
    o.master_port = port;
    o.rendezvous_timeout_s = 60;
    DistributedGroup group(o, torch::kCPU);
    Trainer trainer(models[r], to, exp.File("rank" + std::to_string(r)), "", &group);
    return AveragedGradients(trainer, group, halves[r]);
  };
  auto rank1 = std::async(std::launch::async, rank, 1);
  const auto dual = rank(0);
  const auto dual1 = rank1.get();

  const double scale = Norm(expected), noise = Norm(rounding, &expected);
  const double eps = std::numeric_limits<float>::epsilon();
  INFO("gradient norm " << scale << ", float32 rounding (reordered) " << noise << ", two ranks "
                        << Norm(dual, &expected));
  REQUIRE(scale > 0.1);
  CHECK(noise < 1e-4 * scale);  // the measure of rounding is rounding
  CHECK(Norm(dual, &expected) <= 10 * noise + 64 * eps * scale);
  CHECK(Norm(dual1, &dual) == 0.0);  // both ranks hold the same gradient
  for (size_t i = 0; i < expected.size(); ++i) {
    const std::vector<torch::Tensor> a{dual[i]}, e{expected[i]}, r{rounding[i]};
    INFO("parameter tensor " << i);
    CHECK(Norm(a, &e) <= 10 * Norm(r, &e) + 1e-5 * scale);
  }
}

TEST_CASE("a corrupt checkpoint is a clear error", "[trainer]") {
  test::TempDir exp;
  std::ofstream(exp.File("bad.pt")) << "not a checkpoint";
  AsrModel model(TinyModel(0.0));
  torch::optim::Adam adam(model->parameters());
  CHECK_THROWS_WITH(LoadCheckpoint(exp.File("bad.pt"), *model, adam), Catch::Contains("bad.pt"));
  CHECK_THROWS_WITH(LoadCheckpoint(exp.File("none.pt"), *model, adam),
                    Catch::Contains("no such file"));
  // A checkpoint of another model shape.
  ModelOptions other = TinyModel(0.0);
  other.d_model = 16;
  AsrModel small(other);
  torch::optim::Adam small_adam(small->parameters());
  SaveCheckpoint(exp.File("small.pt"), *small, small_adam, CheckpointState{});
  CHECK_THROWS_WITH(LoadCheckpoint(exp.File("small.pt"), *model, adam), Catch::Contains("shape"));
}

}  // namespace
}  // namespace verbatim

namespace verbatim {
namespace {

// Four single-utterance batches per epoch, in order.
struct FaultRun {
  TinySet set{4};
  DataLoaderOptions lo;
  BatchSamplerOptions so;
  TrainerOptions to;
  FaultRun() {
    lo.num_threads = 1;
    so.max_frames = 100000;
    so.max_batch_size = 1;
    so.shuffle = false;
    so.length_jitter = 0.0;
    to.epochs = 2;
    to.log_interval = 1;
  }
};

void Poison(Batch* b) { b->feats.fill_(std::numeric_limits<float>::infinity()); }

TEST_CASE("a batch with a non-finite loss is skipped and counted", "[trainer][faults]") {
  FaultRun r;
  DataLoader loader(r.set.utts, r.set.tokens, r.lo);
  BatchSampler sampler(r.set.durations, r.so);
  test::TempDir exp;
  torch::manual_seed(0);
  Trainer trainer(AsrModel(TinyModel(0.0)), r.to, exp.path(), "");
  std::vector<torch::Tensor> before, after;  // parameters around the poisoned batch
  int calls = 0;
  trainer.SetBatchHook([&](Batch* b) {
    if (calls == 2 || calls == 3)
      for (const auto& p : trainer.model()->parameters())
        (calls == 2 ? before : after).push_back(p.detach().clone());
    if (calls++ == 2) Poison(b);
  });
  REQUIRE(trainer.Train(&loader, sampler, nullptr, {}, false) == TrainOutcome::kCompleted);
  CHECK(trainer.skipped_batches() == 1);
  CHECK(trainer.step() == 7);  // 8 batches, one without an optimizer step
  for (const auto& p : trainer.model()->parameters()) CHECK(torch::isfinite(p).all().item<bool>());
  std::ifstream log(exp.File("train.log.jsonl"));
  int skips = 0;
  for (std::string line; std::getline(log, line);)
    skips += line.find("\"type\":\"skip\"") != std::string::npos;
  CHECK(skips == 1);
  REQUIRE(before.size() == after.size());
  for (size_t i = 0; i < before.size(); ++i) CHECK(torch::equal(before[i], after[i]));
}

TEST_CASE("too many non-finite batches in a row stop the run, checkpoint intact",
          "[trainer][faults]") {
  FaultRun r;
  r.to.epochs = 3;
  r.to.max_bad_batches = 3;
  DataLoader loader(r.set.utts, r.set.tokens, r.lo);
  BatchSampler sampler(r.set.durations, r.so);
  test::TempDir exp;
  torch::manual_seed(0);
  Trainer trainer(AsrModel(TinyModel(0.0)), r.to, exp.path(), "");
  int calls = 0;
  trainer.SetBatchHook([&](Batch* b) {
    if (calls++ >= 5) Poison(b);  // epoch 0 is clean; epoch 1: batch 0 good, 1..3 bad
  });
  CHECK_THROWS_WITH(trainer.Train(&loader, sampler, nullptr, {}, false),
                    Catch::Contains("3 batches in a row") && Catch::Contains("epoch-1.pt"));
  CHECK(trainer.skipped_batches() == 3);
  REQUIRE(trainer.LatestCheckpoint() == exp.File("checkpoints/epoch-1.pt"));
  AsrModel model(TinyModel(0.0));
  torch::optim::Adam adam(model->parameters());
  const CheckpointState state = LoadCheckpoint(trainer.LatestCheckpoint(), *model, adam);
  CHECK(state.epoch == 1);
  CHECK(state.step == 4);
  for (const auto& p : model->parameters()) CHECK(torch::isfinite(p).all().item<bool>());
}

TEST_CASE("a stop request ends the run after the step with a checkpoint", "[trainer][faults]") {
  FaultRun r;
  DataLoader loader(r.set.utts, r.set.tokens, r.lo);
  BatchSampler sampler(r.set.durations, r.so);
  test::TempDir exp;
  torch::manual_seed(0);
  Trainer trainer(AsrModel(TinyModel(0.0)), r.to, exp.path(), "");
  int calls = 0;
  trainer.SetBatchHook([&](Batch*) { ++calls; });
  trainer.SetStopRequest([&] { return calls >= 3; });
  CHECK(trainer.Train(&loader, sampler, nullptr, {}, false) == TrainOutcome::kInterrupted);
  CHECK(trainer.step() == 3);
  CHECK(trainer.LatestCheckpoint() == exp.File("checkpoints/step-3.pt"));
}

TEST_CASE("validation reports the CTC greedy WER and keeps the best checkpoints", "[trainer]") {
  FaultRun r;
  r.to.epochs = 3;
  r.to.keep_last = 1;
  r.to.keep_best = 1;
  DataLoader loader(r.set.utts, r.set.tokens, r.lo);
  DataLoader dev(r.set.utts, r.set.tokens, r.lo);
  BatchSampler sampler(r.set.durations, r.so);
  test::TempDir exp;
  torch::manual_seed(0);
  Trainer trainer(AsrModel(TinyModel(0.0)), r.to, exp.path(), "");
  trainer.SetDetokenizer([](const std::vector<int>& ids) {
    std::string text;
    for (int id : ids) text += " w" + std::to_string(id);
    return text;
  });
  trainer.Train(&loader, sampler, &dev, sampler.Batches(0), false);
  std::ifstream log(exp.File("train.log.jsonl"));
  int epochs = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find("\"type\":\"epoch\"") == std::string::npos) continue;
    ++epochs;
    const size_t at = line.find("\"wer\":");
    REQUIRE(at != std::string::npos);
    const double wer = std::stod(line.substr(at + 6));
    CHECK(wer >= 0.0);
  }
  CHECK(epochs == 3);
  std::ifstream best(exp.File("checkpoints/best"));
  std::string name;
  REQUIRE(best >> name);
  CHECK(std::ifstream(exp.File("checkpoints/" + name)).good());
  CHECK(std::ifstream(exp.File("checkpoints/epoch-3.pt")).good());
}

TEST_CASE("bf16 autocast training steps track fp32", "[trainer]") {
  TinySet set(4);
  DataLoader loader(set.utts, set.tokens, DataLoaderOptions());
  loader.StartEpoch(0, {{0, 1, 2, 3}});
  Batch batch;
  REQUIRE(loader.Next(&batch));
  std::vector<LossValues> losses;
  for (const char* precision : {"fp32", "bf16"}) {
    TrainerOptions to;
    to.precision = precision;
    torch::manual_seed(3);
    test::TempDir exp;
    Trainer trainer(AsrModel(TinyModel(0.0)), to, exp.path(), "");
    losses.push_back(trainer.Step(batch, /*backward=*/true));
    for (const auto& p : trainer.model()->parameters()) {
      REQUIRE(p.grad().defined());
      CHECK(p.grad().scalar_type() == torch::kFloat32);
      CHECK(torch::isfinite(p.grad()).all().item<bool>());
    }
  }
  INFO("fp32 " << losses[0].total << " bf16 " << losses[1].total);
  CHECK(losses[1].total == Approx(losses[0].total).epsilon(0.03));
  CHECK(losses[1].ctc == Approx(losses[0].ctc).epsilon(0.03));
}

TEST_CASE("a guide with detach_encoder shapes the decoder and leaves the encoder's gradient alone",
          "[trainer][guided]") {
  TinySet set(4);
  DataLoader loader(set.utts, set.tokens, DataLoaderOptions());
  loader.StartEpoch(0, {{0, 1, 2, 3}});
  Batch batch;
  REQUIRE(loader.Next(&batch));
  struct Run {
    double weight;
    bool detach;
    LossValues loss;
    std::map<std::string, torch::Tensor> grads;
  };
  std::vector<Run> runs = {{0.0, false, {}, {}}, {5.0, false, {}, {}}, {5.0, true, {}, {}}};
  for (Run& run : runs) {
    TrainerOptions to;
    to.guided.weight = run.weight;
    to.guided.detach_encoder = run.detach;
    torch::manual_seed(3);
    test::TempDir exp;
    Trainer trainer(AsrModel(TinyModel(0.0)), to, exp.path(), "");
    run.loss = trainer.Step(batch, /*backward=*/true);
    for (const auto& item : trainer.model()->named_parameters())
      run.grads[item.key()] = item.value().grad().clone();
  }
  // Without dropout both ways compute the same attention, so the same loss.
  CHECK(runs[2].loss.guided > 0);
  CHECK(runs[2].loss.guided == Approx(runs[1].loss.guided).epsilon(1e-5));
  int encoder = 0, decoder_moved = 0;
  bool encoder_moved_without_detach = false;
  for (const auto& [name, grad] : runs[0].grads) {
    const bool in_encoder = name.rfind("encoder.", 0) == 0;
    if (in_encoder) {
      ++encoder;
      INFO(name);
      CHECK(torch::allclose(runs[2].grads[name], grad, 1e-5, 1e-7));
      encoder_moved_without_detach |= !torch::allclose(runs[1].grads[name], grad, 1e-5, 1e-7);
    } else if (name.rfind("decoder.", 0) == 0 &&
               !torch::allclose(runs[2].grads[name], grad, 1e-5, 1e-7)) {
      ++decoder_moved;
    }
  }
  CHECK(encoder > 0);
  CHECK(decoder_moved > 0);
  CHECK(encoder_moved_without_detach);
}

}  // namespace
}  // namespace verbatim
