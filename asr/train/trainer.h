// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The training loop: joint CTC/attention loss (+ guided attention), Adam or
// AdamW with the Noam schedule, gradient accumulation and clipping,
// scheduled sampling, per-epoch validation, atomic checkpoints with exact
// resume, and a JSONL log of every logged step and epoch.
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
#include "asr/train/losses.h"
#include "asr/train/noam_scheduler.h"

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
  NoamOptions lr;
  double ctc_weight = 0.3;  // total = w * ctc + (1 - w) * attention
  double label_smoothing = 0.1;
  GuidedAttentionOptions guided;
  ScheduledSamplingOptions sampling;
  uint64_t seed = 0;
  std::string device = "cpu";      // cpu | cuda | cuda:N
  std::string precision = "fp32";  // fp32 | bf16 (autocast)
  int keep_last = 3;               // checkpoints kept
  int log_interval = 20;           // optimizer steps between log lines
  int64_t checkpoint_every = 0;    // optimizer steps between mid-epoch checkpoints (0 = epoch ends)
  bool verbose = true;             // progress on stderr
};

// Loss values of one batch or an average over batches.
struct LossValues {
  double total = 0, ctc = 0, attention = 0, guided = 0, accuracy = 0;
  int64_t batches = 0;
  void Add(const LossValues& other);
  LossValues Mean() const;
};

class Trainer {
 public:
  // `exp_dir` receives checkpoints and train.log.jsonl. `config_text` is the
  // resolved configuration stored in every checkpoint.
  Trainer(AsrModel model, const TrainerOptions& opts, std::string exp_dir, std::string config_text);

  // Trains on `train` batches from `sampler`, validating on `dev` (may be
  // null) after each epoch. Resumes from the newest checkpoint in exp_dir
  // when `resume` is set.
  void Train(DataLoader* train, const BatchSampler& sampler, DataLoader* dev,
             const std::vector<std::vector<int>>& dev_batches, bool resume);

  // Mean losses over `batches` in evaluation mode (no gradients).
  LossValues Evaluate(DataLoader* loader, const std::vector<std::vector<int>>& batches);

  // The loss of a batch; with `backward`, also accumulates gradients.
  LossValues Step(const Batch& batch, bool backward);

  int64_t step() const { return step_; }
  AsrModel& model() { return model_; }
  std::string LatestCheckpoint() const;  // "" when there is none

 private:
  void OptimizerStep();
  void SaveCheckpointAt(int64_t epoch, int64_t batch, double valid_loss);
  void Log(const std::string& json_line);

  AsrModel model_;
  TrainerOptions opts_;
  std::string exp_dir_;
  std::string config_text_;
  torch::Device device_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  NoamScheduler scheduler_;
  int64_t step_ = 0;
  double last_lr_ = 0.0;
};

}  // namespace verbatim
