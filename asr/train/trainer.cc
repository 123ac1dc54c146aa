// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "asr/model/cpu_autocast.h"
#include "asr/search/ctc_greedy_search.h"
#include "asr/util/json_writer.h"
#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

// FusedAdam or FusedAdamW with the options of `opts`.
template <class Optimizer, class Options>
std::unique_ptr<Optimizer> MakeAdam(const std::vector<torch::Tensor>& parameters,
                                    const TrainerOptions& opts) {
  return std::make_unique<Optimizer>(parameters, Options(opts.lr.peak_lr)
                                                     .betas({opts.adam_beta1, opts.adam_beta2})
                                                     .eps(opts.adam_eps)
                                                     .weight_decay(opts.weight_decay));
}

// One record of train.log.jsonl (asr/plot/training_log_records.h reads
// them): the loss values plus named extra numbers, on one line.
std::string LogRecord(const char* type, int64_t epoch, int64_t step, const LossValues& v, double lr,
                      const std::vector<std::pair<const char*, double>>& extra) {
  std::ostringstream line;
  JsonWriter json(line, /*indent=*/-1);
  json.BeginObject().Key("type").String(type).Key("epoch").Int(epoch).Key("step").Int(step);
  json.Key("loss").Double(v.total).Key("ctc").Double(v.ctc).Key("attention").Double(v.attention);
  json.Key("guided").Double(v.guided).Key("accuracy").Double(v.accuracy).Key("lr").Double(lr);
  for (const auto& [name, value] : extra) json.Key(name).Double(value);
  json.EndObject();
  return line.str();
}

}  // namespace

Trainer::Trainer(AsrModel model, const TrainerOptions& opts, std::string exp_dir,
                 std::string config_text, DistributedGroup* group)
    : model_(std::move(model)),
      opts_(opts),
      exp_dir_(std::move(exp_dir)),
      log_(exp_dir_ + "/train.log.jsonl"),
      config_text_(std::move(config_text)),
      device_(opts.device),
      scheduler_(opts.lr),
      own_group_(group ? nullptr
                       : std::make_unique<DistributedGroup>(DistributedOptions(),
                                                            torch::Device(opts.device))),
      group_(group ? group : own_group_.get()),
      keeper_(exp_dir_ + "/checkpoints",
              CheckpointKeeperOptions{opts.keep_last, opts.keep_best, opts.best_metric}) {
  opts.Validate();
  model_->to(device_);
  if (opts.optimizer == "adam")
    SetOptimizer(MakeAdam<FusedAdam, torch::optim::AdamOptions>(model_->parameters(), opts));
  else
    SetOptimizer(MakeAdam<FusedAdamW, torch::optim::AdamWOptions>(model_->parameters(), opts));
  if (is_main()) fs::create_directories(exp_dir_ + "/checkpoints");
}

LossValues Trainer::Step(const Batch& batch, bool backward,
                         std::vector<std::vector<int>>* ctc_hypotheses) {
  model_->train(backward);
  std::unique_ptr<torch::NoGradGuard> no_grad;
  if (!backward) no_grad = std::make_unique<torch::NoGradGuard>();
  const auto feats = batch.feats.to(device_);
  const auto feat_lengths = batch.feat_lengths.to(device_);
  const auto tokens = batch.tokens.to(device_);
  const auto token_lengths = batch.token_lengths.to(device_);

  CpuBf16Autocast autocast(opts_.precision == "bf16" && device_.is_cpu());
  const EncoderOutput enc = model_->Encode(feats, feat_lengths);
  const auto ctc_log_probs = model_->CtcLogProbs(enc.out);
  if (ctc_hypotheses != nullptr) {
    ctc_hypotheses->clear();
    for (const SearchResult& r : CtcGreedy(ctc_log_probs.detach().to(torch::kFloat32), enc.lengths))
      ctc_hypotheses->push_back(r.nbest.front().tokens);
  }
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
  const bool second_pass = want_attention && opts_.guided.detach_encoder;
  std::vector<torch::Tensor> cross;
  const auto logits = model_->decoder()->forward(input, io.lengths, enc.out, enc.mask,
                                                 want_attention && !second_pass ? &cross : nullptr);
  if (second_pass)  // the guide's own pass: its gradient stops at the encoder output
    model_->decoder()->forward(input, io.lengths, enc.out.detach(), enc.mask, &cross);

  const auto ctc = CtcLoss(ctc_log_probs, enc.lengths, tokens, token_lengths);
  const auto attention = LabelSmoothingLoss(logits, io.target, opts_.label_smoothing);
  torch::Tensor guided;
  if (want_attention) guided = GuidedAttentionLoss(cross, io.lengths, enc.lengths, opts_.guided);
  const auto total =
      TotalLoss(ctc, attention, opts_.ctc_weight, guided, opts_.guided.WeightAt(step_));
  LossValues v;
  v.total = total.item<double>();
  // A non-finite loss must not reach the gradients (the caller skips it).
  if (backward && std::isfinite(v.total))
    (total * static_cast<double>(batch.feats.size(0))).backward();
  v.ctc = ctc.item<double>();
  v.attention = attention.item<double>();
  v.guided = guided.defined() ? guided.item<double>() : 0.0;
  v.accuracy = TokenAccuracy(logits.detach(), io.target);
  v.batches = 1;
  return v;
}

Trainer::StepResult Trainer::OptimizerStep(double utterances) {
  const double total = group_->AverageGradients(model_->parameters(), utterances);
  if (encoder_frozen_)
    for (auto& p : model_->encoder()->parameters()) p.mutable_grad().reset();
  if (total <= 0) {  // every batch of the step was skipped, on every rank
    ClearGradients();
    return StepResult::kNoData;
  }
  // The norm is computed even without clipping: non-finite gradients (from a
  // finite loss) skip the step. All ranks see the same reduced gradients.
  const double norm = GradientNorm(model_->parameters());
  if (!std::isfinite(norm)) {
    ClearGradients();
    return StepResult::kNonFinite;
  }
  // Clipping as torch::nn::utils::clip_grad_norm_ (same coefficient), applied
  // by the optimizer while it reads the gradients.
  if (opts_.grad_clip > 0) {
    const double coefficient = opts_.grad_clip / (norm + 1e-6);
    if (coefficient < 1.0) grad_scaling_->ScaleNextGradients(coefficient);
  }
  ++step_;
  last_lr_ = scheduler_.LearningRate(step_);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(last_lr_);
  optimizer_->step();
  ClearGradients();
  return StepResult::kStepped;
}

template <class Optimizer>
void Trainer::SetOptimizer(std::unique_ptr<Optimizer> optimizer) {
  grad_scaling_ = optimizer.get();
  optimizer_ = std::move(optimizer);
}

void Trainer::FreezeEncoder(bool frozen) {
  if (frozen == encoder_frozen_) return;
  for (auto& p : model_->encoder()->parameters()) p.set_requires_grad(!frozen);
  encoder_frozen_ = frozen;
}

// Gradients are dropped rather than zeroed: the next backward pass then
// stores its gradients instead of adding them to zeros (two passes over
// memory fewer per step), as PyTorch's zero_grad(set_to_none=True).
void Trainer::ClearGradients() {
  for (auto& p : model_->parameters()) p.mutable_grad().reset();
}

void Trainer::SaveCheckpointAt(int64_t epoch, int64_t batch, const ValidationResult* validation) {
  if (!is_main()) return;
  const bool epoch_end = batch == 0;
  const std::string name = epoch_end ? "epoch-" + std::to_string(epoch) + ".pt"
                                     : "step-" + std::to_string(step_) + ".pt";
  SaveCheckpoint(keeper_.Path(name), *model_, *optimizer_,
                 CheckpointState{epoch, batch, step_, config_text_,
                                 validation ? validation->loss.total : 0.0});
  std::optional<EpochScore> score;
  if (validation != nullptr)
    score = EpochScore{name, epoch, validation->loss.total, validation->loss.accuracy,
                       validation->has_wer ? validation->WerPercent() : -1.0};
  keeper_.Committed(name, epoch_end, score ? &*score : nullptr);
}

void Trainer::Log(const std::string& json_line) {
  if (is_main()) log_.Append(json_line);
}

void Trainer::CountBad(int64_t count, int64_t epoch, int64_t position, const char* reason) {
  skipped_batches_ += count;
  ++consecutive_bad_;
  Log(LogRecord("skip", epoch, step_, LossValues(), last_lr_,
                {{"batch", static_cast<double>(position)},
                 {"batches", static_cast<double>(count)},
                 {"in_a_row", static_cast<double>(consecutive_bad_)}}));
  if (TrainingObserver* o = observer())
    o->Skipped(epoch, position, reason, count, consecutive_bad_);
  if (consecutive_bad_ >= opts_.max_bad_batches) {
    const std::string latest = LatestCheckpoint();
    throw Error("training stopped: " + std::to_string(consecutive_bad_) + " batches in a row (" +
                reason + ", last at epoch " + std::to_string(epoch) + " batch " +
                std::to_string(position) + "); the last good checkpoint is " +
                (latest.empty() ? std::string("none") : latest) +
                " (lower the learning rate or check the data, then --resume)");
  }
}

ValidationResult Trainer::Validate(DataLoader* loader,
                                   const std::vector<std::vector<int>>& batches) {
  std::vector<std::vector<int>> mine;
  for (size_t i = group_->rank(); i < batches.size(); i += group_->world_size())
    mine.push_back(batches[i]);
  ValidationAccumulator acc(detokenize_);
  std::vector<std::vector<int>> hyps;
  loader->StartEpoch(0, mine);
  Batch b;
  while (loader->Next(&b)) {
    const LossValues v = Step(b, false, acc.wants_hypotheses() ? &hyps : nullptr);
    acc.Add(v, b.tokens, b.token_lengths, hyps);
  }
  return acc.FromPacked(group_->SumDoubles(acc.Pack()));
}

bool Trainer::Resume(int64_t* epoch, int64_t* batch) {
  const std::string latest = LatestCheckpoint();
  if (!latest.empty()) {
    const CheckpointState state = LoadCheckpoint(latest, *model_, *optimizer_);
    *epoch = state.epoch;
    *batch = state.batch;
    step_ = state.step;
    last_lr_ = scheduler_.LearningRate(step_);
  }
  // Every rank must have loaded the same checkpoint.
  torch::Tensor steps =
      torch::tensor({static_cast<double>(step_), -static_cast<double>(step_)}, torch::kFloat64);
  group_->AllReduceMax(&steps);
  Check(steps[0].item<double>() == -steps[1].item<double>(),
        "distributed: rank " + std::to_string(group_->rank()) + " resumed at step " +
            std::to_string(step_) + " but another rank did not (--resume needs " + exp_dir_ +
            " on a file system that every rank sees)");
  return !latest.empty();
}

TrainOutcome Trainer::Train(DataLoader* train, const BatchSampler& sampler, DataLoader* dev,
                            const std::vector<std::vector<int>>& dev_batches, bool resume) {
  Check(opts_.best_metric != "wer" || detokenize_ || dev == nullptr,
        "trainer: best_metric wer needs a tokenizer to measure the WER");
  // The run's length for the cosine schedule, from epoch 0's batches (the
  // count varies little between epochs; the schedule stays at its floor past it).
  const int64_t per_epoch =
      (static_cast<int64_t>(sampler.Batches(0, group_->rank(), group_->world_size()).size()) +
       opts_.accum_grad - 1) /
      opts_.accum_grad;
  int64_t total_steps = per_epoch * opts_.epochs;
  if (opts_.max_steps > 0) total_steps = std::min(total_steps, opts_.max_steps);
  scheduler_.SetTotalSteps(total_steps);
  if (is_main()) {
    const int stale = keeper_.RemoveStaleTemporaries();
    if (stale > 0 && observer()) observer()->StaleFilesRemoved(stale);
  }
  int64_t start_epoch = 0, start_batch = 0;
  const bool resumed = resume && Resume(&start_epoch, &start_batch);
  if (!resumed) torch::manual_seed(opts_.seed);
  // The log reads as one run from here: records of the steps after the
  // starting one go (those a killed run logged after its last checkpoint,
  // or before it wrote any).
  const int dropped = is_main() ? log_.DropAfterStep(step_) : 0;
  if (TrainingObserver* o = observer())
    o->Started(resumed ? LatestCheckpoint() : "", start_epoch, start_batch, step_, dropped);
  if (on_started_) on_started_();
  // Rank 0's parameters everywhere (a no-op for one process or after resume).
  group_->Broadcast(model_->parameters());
  group_->Broadcast(model_->buffers());
  for (int64_t epoch = start_epoch; epoch < opts_.epochs; ++epoch) {
    if (TrainEpoch(train, sampler, epoch, start_batch) == EpochEnd::kStopped) {
      group_->Barrier();
      return stopped_by_request_ ? TrainOutcome::kInterrupted : TrainOutcome::kCompleted;
    }
    if (TrainingObserver* o = observer()) o->EpochTrained(epoch);
    std::optional<ValidationResult> validation;
    if (dev != nullptr && !dev_batches.empty()) {
      validation = Validate(dev, dev_batches);
      ReportValidation(epoch, *validation, train->wait_seconds());
    }
    SaveCheckpointAt(epoch + 1, 0, validation ? &*validation : nullptr);
    start_batch = 0;
    if (group_->SumDoubles({StopRequested() ? 1.0 : 0.0})[0] > 0) {
      group_->Barrier();
      return TrainOutcome::kInterrupted;
    }
  }
  group_->Barrier();
  return TrainOutcome::kCompleted;
}

Trainer::EpochEnd Trainer::TrainEpoch(DataLoader* train, const BatchSampler& sampler, int64_t epoch,
                                      int64_t start_batch) {
  const auto batches =
      sampler.Batches(static_cast<int>(epoch), group_->rank(), group_->world_size());
  train->StartEpoch(static_cast<int>(epoch), batches, static_cast<int>(start_batch));
  LossValues window;  // of the batches since the last log line
  double audio = 0.0, utterances = 0.0;
  auto window_start = std::chrono::steady_clock::now();
  int micro = 0;
  int64_t position = start_batch;  // batches of this epoch done on this rank
  Batch b;
  while (true) {
    const bool have = train->Next(&b);
    LossValues v;
    if (have) {
      if (batch_hook_) batch_hook_(&b);
      FreezeEncoder(step_ < opts_.freeze_encoder_steps);
      v = Step(b, true);
      position = b.index + 1;
    }
    const bool bad = have && !std::isfinite(v.total);
    // Ranks agree on: is there data left anywhere, how many bad batches,
    // does anyone want to stop (all ranks then stop at the same step).
    const std::vector<double> flags =
        group_->SumDoubles({have ? 1.0 : 0.0, bad ? 1.0 : 0.0, StopRequested() ? 1.0 : 0.0});
    if (flags[0] == 0) break;
    if (flags[1] > 0) {
      CountBad(static_cast<int64_t>(flags[1]), epoch, position, "non-finite loss");
    } else {
      consecutive_bad_ = 0;
    }
    if (have && !bad) {
      window.Add(v);
      audio += b.audio_seconds;
      utterances += static_cast<double>(b.feats.size(0));
    }
    if (++micro % opts_.accum_grad != 0) continue;
    const StepResult result = OptimizerStep(utterances);
    utterances = 0.0;
    if (result == StepResult::kNonFinite) CountBad(1, epoch, position, "non-finite gradients");
    if (result == StepResult::kStepped && step_ % opts_.log_interval == 0) {
      const auto now = std::chrono::steady_clock::now();
      ReportStep(epoch, position, batches.size(), window, audio,
                 std::chrono::duration<double>(now - window_start).count());
      window = LossValues();
      audio = 0.0;
      window_start = now;
    }
    stopped_by_request_ = flags[2] > 0;
    const bool last = opts_.max_steps > 0 && step_ >= opts_.max_steps;
    if (stopped_by_request_ || last ||
        (result == StepResult::kStepped && opts_.checkpoint_every > 0 &&
         step_ % opts_.checkpoint_every == 0))
      SaveCheckpointAt(epoch, position, nullptr);
    if (stopped_by_request_ || last) {
      if (stopped_by_request_ && observer()) observer()->Interrupted(LatestCheckpoint(), step_);
      return EpochEnd::kStopped;
    }
  }
  if (micro % opts_.accum_grad != 0 &&  // leftover accumulated batches
      OptimizerStep(utterances) == StepResult::kNonFinite)
    CountBad(1, epoch, position, "non-finite gradients");
  return EpochEnd::kCompleted;
}

void Trainer::ReportStep(int64_t epoch, int64_t position, size_t batches, const LossValues& window,
                         double audio_seconds, double seconds) {
  std::vector<double> packed = window.Pack();
  packed.push_back(audio_seconds);
  packed = group_->SumDoubles(packed);
  StepReport r;
  r.epoch = epoch;
  r.step = step_;
  r.batch = position;
  r.batches = static_cast<int64_t>(batches);
  r.mean = LossValues::Unpack(packed.data()).Mean();
  r.learning_rate = last_lr_;
  r.audio_seconds_per_second = packed.back() / std::max(seconds, 1e-9);
  Log(LogRecord("step", epoch, step_, r.mean, last_lr_,
                {{"audio_seconds_per_second", r.audio_seconds_per_second}}));
  if (TrainingObserver* o = observer()) o->Stepped(r);
}

void Trainer::ReportValidation(int64_t epoch, const ValidationResult& v,
                               double loader_wait_seconds) {
  Log(LogRecord("epoch", epoch, step_, v.loss, last_lr_,
                {{"wer", v.has_wer ? v.WerPercent() : -1.0},
                 {"loader_wait_seconds", loader_wait_seconds},
                 {"skipped_batches", static_cast<double>(skipped_batches_)}}));
  if (TrainingObserver* o = observer()) o->Validated(epoch, v);
}

}  // namespace verbatim
