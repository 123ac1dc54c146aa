// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The training loop: joint CTC/attention loss (+ guided attention), Adam or
// AdamW with a warm-up schedule (Noam or cosine), gradient accumulation and
// clipping, scheduled sampling, an encoder frozen for the first steps
// (fine-tuning), per-epoch validation (losses, accuracy, CTC greedy WER),
// atomic checkpoints with exact resume (last-k and best-k kept), a JSONL log
// of every logged step and epoch, and data-parallel training over the ranks
// of a DistributedGroup.
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
#include "asr/train/trainer_options.h"
#include "asr/train/training_log_writer.h"
#include "asr/train/training_observer.h"
#include "asr/train/validation.h"

namespace verbatim {

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
  // Receives the run's progress (main rank only; not owned; null = none).
  void SetObserver(TrainingObserver* observer) { observer_ = observer; }
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
  enum class EpochEnd { kCompleted, kStopped };  // kStopped: max_steps or a stop request
  // Trains one epoch from batch `start_batch` on.
  EpochEnd TrainEpoch(DataLoader* train, const BatchSampler& sampler, int64_t epoch,
                      int64_t start_batch);
  bool StopRequested() const { return stop_requested_ && stop_requested_(); }
  TrainingObserver* observer() const { return is_main() ? observer_ : nullptr; }
  StepResult OptimizerStep(double utterances);
  void ClearGradients();
  // The encoder's parameters stop (or start again) taking gradients; frozen,
  // they keep no gradient into the optimizer step either (the distributed
  // reduction fills missing gradients with zeros, and Adam's weight decay
  // would move a parameter even then).
  void FreezeEncoder(bool frozen);
  template <class Optimizer>
  void SetOptimizer(std::unique_ptr<Optimizer> optimizer);  // FusedAdam or FusedAdamW
  bool Resume(int64_t* epoch, int64_t* batch);              // false: no checkpoint
  void CountBad(int64_t count, int64_t epoch, int64_t position, const char* reason);
  // The training figures since the last log line: logged and reported.
  void ReportStep(int64_t epoch, int64_t position, size_t batches, const LossValues& window,
                  double audio_seconds, double seconds);
  void ReportValidation(int64_t epoch, const ValidationResult& v, double loader_wait_seconds);
  void SaveCheckpointAt(int64_t epoch, int64_t batch, const ValidationResult* validation);
  void Log(const std::string& json_line);
  bool is_main() const { return group_->is_main(); }

  AsrModel model_;
  TrainerOptions opts_;
  std::string exp_dir_;
  TrainingLogWriter log_;  // EXP/train.log.jsonl, written by the main rank only
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
  TrainingObserver* observer_ = nullptr;
  int64_t step_ = 0;
  double last_lr_ = 0.0;
  int64_t consecutive_bad_ = 0;
  int64_t skipped_batches_ = 0;
  bool stopped_by_request_ = false;  // the last TrainEpoch stopped on a stop request
  bool encoder_frozen_ = false;
};

}  // namespace verbatim
