// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The training loop: joint CTC/attention loss (+ guided attention), Adam or
// AdamW with a warm-up schedule (Noam or cosine), gradient accumulation and clipping,
// scheduled sampling, per-epoch validation (losses, accuracy, CTC greedy
// WER), atomic checkpoints with exact resume (last-k and best-k kept), a JSONL
// log of every logged step and epoch, and data-parallel training over the
// ranks of a DistributedGroup.
//
// Gradient normalization: every loss is a per-utterance mean over its batch
// (losses.h); the gradient of an optimizer step is the mean over *all*
// utterances of the step, i.e. of its accum_grad batches on every rank
// (each batch's loss is scaled by its utterance count, the sum is divided by
// the total count). So 2 ranks x batch B = 1 process x batch 2B = 1 process x
// batch B x accum_grad 2, for batches of equal sizes.
//
// Faults: a batch whose loss is NaN or infinite gets no backward pass (the
// step uses the other batches; a step without any good batch is skipped),
// and so does a step whose gradients are not finite; both are counted and
// logged (type "skip"). After max_bad_batches such batches in a row the run
// stops with an Error, leaving the last checkpoint as it was.
//
// Interruption: when the stop request (SetStopRequest, e.g. SIGINT) is seen
// after an optimizer step, every rank stops there, rank 0 writes a checkpoint
// and Train returns kInterrupted; --resume continues exactly.
//
// Data-parallel: all ranks start from rank 0's parameters (broadcast), train
// on their shard of the batches (BatchSampler), all-reduce the gradients every
// step and keep identical parameters; validation is sharded over the ranks
// and reduced (all ranks get the same result). Only rank 0 writes
// checkpoints, logs and progress. --resume needs EXP on a file system that all
// ranks see (each rank loads the same checkpoint).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "asr/data/batch_sampler.h"
#include "asr/data/data_loader.h"
#include "asr/model/asr_model.h"
#include "asr/train/checkpoint.h"
#include "asr/train/checkpoint_keeper.h"
#include "asr/train/distributed_group.h"
#include "asr/train/fused_adam.h"
#include "asr/train/loss_values.h"
#include "asr/train/losses.h"
#include "asr/train/lr_scheduler.h"
#include "asr/train/training_log.h"
#include "asr/train/validation.h"

namespace verbatim {

struct ScheduledSamplingOptions {
  // Probability of feeding the decoder its own previous prediction instead of
  // the reference token; rises linearly from 0 at start_step to
  // max_probability at start_step + ramp_steps (optimizer steps). 0 = off.
  double max_probability = 0.0;
  int64_t start_step = 0;
  int64_t ramp_steps = 1;
  double ProbabilityAt(int64_t step) const;
};

struct TrainerOptions {
  int epochs = 10;
  int64_t max_steps = 0;           // stop after this many optimizer steps (0 = no limit)
  int accum_grad = 1;              // batches per optimizer step
  double grad_clip = 5.0;          // max L2 norm of all gradients (0 = no clipping)
  std::string optimizer = "adam";  // adam | adamw
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.98;
  double adam_eps = 1e-9;
  double weight_decay = 0.0;  // L2 (adam) or decoupled (adamw) weight decay
  LrScheduleOptions lr;
  double ctc_weight = 0.3;  // total = w * ctc + (1 - w) * attention
  double label_smoothing = 0.1;
  GuidedAttentionOptions guided;
  ScheduledSamplingOptions sampling;
  uint64_t seed = 0;
  std::string device = "cpu";      // cpu | cuda | cuda:N
  std::string precision = "fp32";  // fp32 | bf16 (autocast)
  int keep_last = 3;               // newest epoch checkpoints kept (count, 0 = all)
  int keep_best = 3;  // best epoch checkpoints kept (count), listed in checkpoints/best
  std::string best_metric = "loss";  // loss | accuracy | wer (dev set; checkpoint_keeper.h)
  int max_bad_batches = 5;           // non-finite batches in a row before the run stops (count)
  int log_interval = 20;             // optimizer steps between log lines
  int64_t checkpoint_every = 0;  // optimizer steps between mid-epoch checkpoints (0 = epoch ends)
  bool verbose = true;           // progress on stderr
};

enum class TrainOutcome { kCompleted, kInterrupted };

class Trainer {
 public:
  // `exp_dir` receives checkpoints and train.log.jsonl. `config_text` is the
  // resolved configuration stored in every checkpoint.
  // `group` (not owned; null = a single process) must outlive the trainer.
  Trainer(AsrModel model, const TrainerOptions& opts, std::string exp_dir, std::string config_text,
          DistributedGroup* group = nullptr);

  // Text of token ids, for the dev WER (without it no WER is measured).
  void SetDetokenizer(Detokenizer detokenize) { detokenize_ = std::move(detokenize); }
  // Polled after every optimizer step (e.g. a flag set by a signal handler).
  void SetStopRequest(std::function<bool()> stop) { stop_requested_ = std::move(stop); }
  // Called once the run has started (after --resume loaded its checkpoint):
  // a failed resume must leave the experiment's files as they were.
  void SetOnStarted(std::function<void()> started) { on_started_ = std::move(started); }
  // Called on every training batch before its step (tests inject faults).
  void SetBatchHook(std::function<void(Batch*)> hook) { batch_hook_ = std::move(hook); }

  // Trains on `train` batches from `sampler` (this rank's shard), validating
  // on `dev` (may be null) after each epoch. Resumes from the newest
  // checkpoint in exp_dir when `resume` is set.
  TrainOutcome Train(DataLoader* train, const BatchSampler& sampler, DataLoader* dev,
                     const std::vector<std::vector<int>>& dev_batches, bool resume);

  // Losses and CTC greedy WER over `batches` in evaluation mode, each rank
  // taking every world_size-th batch; the result is reduced over the ranks.
  ValidationResult Validate(DataLoader* loader, const std::vector<std::vector<int>>& batches);
  LossValues Evaluate(DataLoader* loader, const std::vector<std::vector<int>>& batches) {
    return Validate(loader, batches).loss;
  }

  // The loss of a batch; with `backward` and a finite loss, also accumulates
  // the gradient of the loss summed over the batch's utterances. Fills
  // `ctc_hypotheses` (CTC greedy, one per utterance) when given.
  LossValues Step(const Batch& batch, bool backward,
                  std::vector<std::vector<int>>* ctc_hypotheses = nullptr);

  int64_t step() const { return step_; }
  int64_t skipped_batches() const { return skipped_batches_; }  // non-finite, this run
  AsrModel& model() { return model_; }
  std::string LatestCheckpoint() const { return keeper_.Latest(); }

 private:
  enum class StepResult { kStepped, kNoData, kNonFinite };
  StepResult OptimizerStep(double utterances);
  void ClearGradients();
  template <class Optimizer>
  void SetOptimizer(std::unique_ptr<Optimizer> optimizer);  // FusedAdam or FusedAdamW
  bool Resume(int64_t* epoch, int64_t* batch);              // false: no checkpoint
  void CountBad(int64_t count, int64_t epoch, int64_t position, const char* reason);
  void SaveCheckpointAt(int64_t epoch, int64_t batch, const ValidationResult* validation);
  void Log(const std::string& json_line);
  bool is_main() const { return group_->is_main(); }

  AsrModel model_;
  TrainerOptions opts_;
  std::string exp_dir_;
  TrainingLog log_;  // EXP/train.log.jsonl, written by the main rank only
  std::string config_text_;
  torch::Device device_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;  // FusedAdam or FusedAdamW
  GradientScaling* grad_scaling_ = nullptr;             // the same object (clipping)
  LrScheduler scheduler_;
  std::unique_ptr<DistributedGroup> own_group_;  // world size 1 when none is given
  DistributedGroup* group_;
  CheckpointKeeper keeper_;
  Detokenizer detokenize_;
  std::function<bool()> stop_requested_;
  std::function<void()> on_started_;
  std::function<void(Batch*)> batch_hook_;
  int64_t step_ = 0;
  double last_lr_ = 0.0;
  int64_t consecutive_bad_ = 0;
  int64_t skipped_batches_ = 0;
};

}  // namespace verbatim
