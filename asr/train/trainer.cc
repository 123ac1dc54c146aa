// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/trainer.h"

#include <ATen/autocast_mode.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "frontend/atomic_file.h"
#include "frontend/error.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

// CPU bf16 autocast for the scope of one forward pass.
class AutocastGuard {
 public:
  explicit AutocastGuard(bool enabled) : enabled_(enabled) {
    if (!enabled_) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
  }
  ~AutocastGuard() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
  }

 private:
  bool enabled_;
};

std::string Json(const char* type, int64_t epoch, int64_t step, const LossValues& v, double lr,
                 double extra_value, const char* extra_name) {
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "{\"type\":\"%s\",\"epoch\":%lld,\"step\":%lld,\"loss\":%.6g,\"ctc\":%.6g,"
                "\"attention\":%.6g,\"guided\":%.6g,\"accuracy\":%.6g,\"lr\":%.6g,\"%s\":%.6g}",
                type, static_cast<long long>(epoch), static_cast<long long>(step), v.total, v.ctc,
                v.attention, v.guided, v.accuracy, lr, extra_name, extra_value);
  return buf;
}

}  // namespace

double ScheduledSamplingOptions::ProbabilityAt(int64_t step) const {
  if (max_probability <= 0 || step < start_step) return 0.0;
  const double ramp = std::max<int64_t>(ramp_steps, 1);
  return max_probability * std::min(1.0, static_cast<double>(step - start_step) / ramp);
}

void LossValues::Add(const LossValues& o) {
  total += o.total;
  ctc += o.ctc;
  attention += o.attention;
  guided += o.guided;
  accuracy += o.accuracy;
  batches += o.batches;
}

LossValues LossValues::Mean() const {
  LossValues m = *this;
  if (batches == 0) return m;
  const double n = static_cast<double>(batches);
  m.total /= n;
  m.ctc /= n;
  m.attention /= n;
  m.guided /= n;
  m.accuracy /= n;
  return m;
}

Trainer::Trainer(AsrModel model, const TrainerOptions& opts, std::string exp_dir,
                 std::string config_text)
    : model_(std::move(model)),
      opts_(opts),
      exp_dir_(std::move(exp_dir)),
      config_text_(std::move(config_text)),
      device_(opts.device),
      scheduler_(opts.lr) {
  Check(opts.accum_grad >= 1, "trainer: accum_grad must be at least 1");
  Check(opts.ctc_weight >= 0 && opts.ctc_weight <= 1, "trainer: ctc_weight must be in [0, 1]");
  Check(opts.precision == "fp32" || opts.precision == "bf16",
        "trainer: precision must be fp32 or bf16, got '" + opts.precision + "'");
  model_->to(device_);
  if (opts.optimizer == "adam") {
    optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(),
                                                      torch::optim::AdamOptions(opts.lr.peak_lr)
                                                          .betas({opts.adam_beta1, opts.adam_beta2})
                                                          .eps(opts.adam_eps)
                                                          .weight_decay(opts.weight_decay));
  } else if (opts.optimizer == "adamw") {
    optimizer_ = std::make_unique<torch::optim::AdamW>(
        model_->parameters(), torch::optim::AdamWOptions(opts.lr.peak_lr)
                                  .betas({opts.adam_beta1, opts.adam_beta2})
                                  .eps(opts.adam_eps)
                                  .weight_decay(opts.weight_decay));
  } else {
    throw Error("trainer: unknown optimizer '" + opts.optimizer + "' (adam or adamw)");
  }
  fs::create_directories(exp_dir_ + "/checkpoints");
}

LossValues Trainer::Step(const Batch& batch, bool backward) {
  model_->train(backward);
  std::unique_ptr<torch::NoGradGuard> no_grad;
  if (!backward) no_grad = std::make_unique<torch::NoGradGuard>();
  const auto feats = batch.feats.to(device_);
  const auto feat_lengths = batch.feat_lengths.to(device_);
  const auto tokens = batch.tokens.to(device_);
  const auto token_lengths = batch.token_lengths.to(device_);

  AutocastGuard autocast(opts_.precision == "bf16" && device_.is_cpu());
  const EncoderOutput enc = model_->Encode(feats, feat_lengths);
  const auto ctc_log_probs = model_->CtcLogProbs(enc.out);
  const DecoderIo io = MakeDecoderIo(tokens, token_lengths);
  auto input = io.input;
  const double p = backward ? opts_.sampling.ProbabilityAt(step_) : 0.0;
  if (p > 0 && input.size(1) > 1) {
    // Scheduled sampling, two passes: the decoder's own greedy predictions
    // (no gradient) replace reference tokens at random positions.
    torch::Tensor predictions;
    {
      torch::NoGradGuard guard;
      predictions = model_->decoder()->forward(input, io.lengths, enc.out, enc.mask).argmax(-1);
    }
    const int64_t l = input.size(1);
    auto pick = torch::bernoulli(torch::full({input.size(0), l - 1}, p, torch::kFloat32))
                    .to(torch::kBool)
                    .to(device_);
    auto rest = torch::where(pick, predictions.narrow(1, 0, l - 1), input.narrow(1, 1, l - 1));
    input = torch::cat({input.narrow(1, 0, 1), rest}, 1);
  }
  const bool want_attention = opts_.guided.WeightAt(step_) > 0;
  std::vector<torch::Tensor> cross;
  const auto logits = model_->decoder()->forward(input, io.lengths, enc.out, enc.mask,
                                                 want_attention ? &cross : nullptr);

  const auto ctc = CtcLoss(ctc_log_probs, enc.lengths, tokens, token_lengths);
  const auto attention = LabelSmoothingLoss(logits, io.target, opts_.label_smoothing);
  auto total = opts_.ctc_weight * ctc + (1.0 - opts_.ctc_weight) * attention;
  torch::Tensor guided;
  if (want_attention) {
    guided = GuidedAttentionLoss(cross, io.lengths, enc.lengths, opts_.guided);
    total = total + opts_.guided.WeightAt(step_) * guided;
  }
  if (backward) (total / static_cast<double>(opts_.accum_grad)).backward();

  LossValues v;
  v.total = total.item<double>();
  v.ctc = ctc.item<double>();
  v.attention = attention.item<double>();
  v.guided = guided.defined() ? guided.item<double>() : 0.0;
  v.accuracy = TokenAccuracy(logits.detach(), io.target);
  v.batches = 1;
  return v;
}

void Trainer::OptimizerStep() {
  if (opts_.grad_clip > 0) torch::nn::utils::clip_grad_norm_(model_->parameters(), opts_.grad_clip);
  ++step_;
  last_lr_ = scheduler_.LearningRate(step_);
  for (auto& group : optimizer_->param_groups()) {
    if (opts_.optimizer == "adam")
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(last_lr_);
    else
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(last_lr_);
  }
  optimizer_->step();
  optimizer_->zero_grad();
}

std::string Trainer::LatestCheckpoint() const {
  std::ifstream in(exp_dir_ + "/checkpoints/latest");
  std::string name;
  if (!(in >> name)) return "";
  return exp_dir_ + "/checkpoints/" + name;
}

void Trainer::SaveCheckpointAt(int64_t epoch, int64_t batch, double valid_loss) {
  const bool epoch_end = batch == 0;
  const std::string name = epoch_end ? "epoch-" + std::to_string(epoch) + ".pt"
                                     : "step-" + std::to_string(step_) + ".pt";
  const std::string dir = exp_dir_ + "/checkpoints/";
  SaveCheckpoint(dir + name, *model_, *optimizer_,
                 CheckpointState{epoch, batch, step_, config_text_, valid_loss});
  const std::string previous = LatestCheckpoint();
  {
    AtomicOutputFile latest(dir + "latest");
    latest.stream() << name << "\n";
    latest.Commit();
  }
  // A mid-epoch checkpoint is only a resume point: drop the one it replaces.
  if (!previous.empty() && previous != dir + name &&
      fs::path(previous).filename().string().rfind("step-", 0) == 0)
    fs::remove(previous);
  // Keep the last `keep_last` epoch checkpoints.
  if (epoch_end && opts_.keep_last > 0 && epoch > opts_.keep_last)
    fs::remove(dir + "epoch-" + std::to_string(epoch - opts_.keep_last) + ".pt");
}

void Trainer::Log(const std::string& json_line) {
  std::ofstream log(exp_dir_ + "/train.log.jsonl", std::ios::app);
  log << json_line << "\n";
}

LossValues Trainer::Evaluate(DataLoader* loader, const std::vector<std::vector<int>>& batches) {
  LossValues sum;
  loader->StartEpoch(0, batches);
  Batch b;
  while (loader->Next(&b)) sum.Add(Step(b, false));
  return sum.Mean();
}

void Trainer::Train(DataLoader* train, const BatchSampler& sampler, DataLoader* dev,
                    const std::vector<std::vector<int>>& dev_batches, bool resume) {
  int64_t start_epoch = 0, start_batch = 0;
  const std::string latest = resume ? LatestCheckpoint() : "";
  if (!latest.empty()) {
    const CheckpointState state = LoadCheckpoint(latest, *model_, *optimizer_);
    start_epoch = state.epoch;
    start_batch = state.batch;
    step_ = state.step;
    last_lr_ = scheduler_.LearningRate(step_);
    if (opts_.verbose)
      std::cerr << "resuming from " << latest << " (epoch " << start_epoch << ", batch "
                << start_batch << ", step " << step_ << ")\n";
  } else {
    torch::manual_seed(opts_.seed);
  }
  const bool tty = isatty(2);
  for (int64_t epoch = start_epoch; epoch < opts_.epochs; ++epoch) {
    const auto batches = sampler.Batches(static_cast<int>(epoch));
    train->StartEpoch(static_cast<int>(epoch), batches, static_cast<int>(start_batch));
    LossValues window;
    double audio = 0.0;
    auto window_start = std::chrono::steady_clock::now();
    int micro = 0;
    Batch b;
    while (train->Next(&b)) {
      window.Add(Step(b, true));
      audio += b.audio_seconds;
      if (++micro % opts_.accum_grad != 0) continue;
      OptimizerStep();
      if (step_ % opts_.log_interval == 0) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - window_start).count();
        const LossValues m = window.Mean();
        Log(Json("step", epoch, step_, m, last_lr_, audio / std::max(seconds, 1e-9),
                 "audio_seconds_per_second"));
        if (opts_.verbose) {
          std::fprintf(stderr,
                       "%sepoch %lld step %lld batch %d/%zu loss %.3f (ctc %.3f att %.3f) "
                       "acc %.3f lr %.2e %.0fx real time%s",
                       tty ? "\r" : "", static_cast<long long>(epoch),
                       static_cast<long long>(step_), b.index + 1, batches.size(), m.total, m.ctc,
                       m.attention, m.accuracy, last_lr_, audio / std::max(seconds, 1e-9),
                       tty ? "   " : "\n");
        }
        window = LossValues();
        audio = 0.0;
        window_start = std::chrono::steady_clock::now();
      }
      if (opts_.checkpoint_every > 0 && step_ % opts_.checkpoint_every == 0)
        SaveCheckpointAt(epoch, b.index + 1, 0.0);
      if (opts_.max_steps > 0 && step_ >= opts_.max_steps) {
        SaveCheckpointAt(epoch, b.index + 1, 0.0);
        if (opts_.verbose && tty) std::fprintf(stderr, "\n");
        return;
      }
    }
    if (micro % opts_.accum_grad != 0) OptimizerStep();  // leftover accumulated batches
    if (opts_.verbose && tty) std::fprintf(stderr, "\n");
    double valid_loss = 0.0;
    if (dev != nullptr && !dev_batches.empty()) {
      const LossValues v = Evaluate(dev, dev_batches);
      valid_loss = v.total;
      Log(Json("epoch", epoch, step_, v, last_lr_, train->wait_seconds(), "loader_wait_seconds"));
      if (opts_.verbose)
        std::fprintf(stderr, "epoch %lld done: dev loss %.3f (ctc %.3f att %.3f) acc %.3f\n",
                     static_cast<long long>(epoch), v.total, v.ctc, v.attention, v.accuracy);
    }
    SaveCheckpointAt(epoch + 1, 0, valid_loss);
    start_batch = 0;
  }
}

}  // namespace verbatim
