// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// What the trainer (asr/train/trainer.h) can be told: optimizer, schedule,
// loss weights, guided attention, scheduled sampling, checkpoints, logging.
#pragma once

#include <cstdint>
#include <string>

#include "asr/train/guided_attention_options.h"
#include "asr/train/lr_scheduler.h"
#include "base/option_registry.h"

namespace verbatim {

struct ScheduledSamplingOptions {
  // Probability of feeding the decoder its own previous prediction instead of
  // the reference token; rises linearly from 0 at start_step to
  // max_probability at start_step + ramp_steps (optimizer steps). 0 = off.
  double max_probability = 0.0;
  int64_t start_step = 0;
  int64_t ramp_steps = 1;
  double ProbabilityAt(int64_t step) const;
  void Register(OptionRegistry* registry);  // max_probability, start_step, ramp_steps
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
  // Optimizer steps during which the encoder does not change (fine-tuning:
  // the new output layers settle first). 0 = none.
  int64_t freeze_encoder_steps = 0;

  // The training section (device is a run setting, not in it).
  void Register(OptionRegistry* registry);
  void Validate() const;  // throws Error on out-of-range values
};

}  // namespace verbatim
