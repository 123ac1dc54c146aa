// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/trainer_options.h"

#include <algorithm>

#include "base/error.h"

namespace verbatim {

double ScheduledSamplingOptions::ProbabilityAt(int64_t step) const {
  if (max_probability <= 0 || step < start_step) return 0.0;
  const double ramp = std::max<int64_t>(ramp_steps, 1);
  return max_probability * std::min(1.0, static_cast<double>(step - start_step) / ramp);
}

void ScheduledSamplingOptions::Register(OptionRegistry* r) {
  r->Register("max_probability", &max_probability,
              "probability of feeding the decoder its own prediction, at the end of the ramp");
  r->Register("start_step", &start_step, "optimizer step where the ramp starts");
  r->Register("ramp_steps", &ramp_steps, "optimizer steps of the linear ramp");
}

void TrainerOptions::Register(OptionRegistry* r) {
  r->Register("epochs", &epochs, "passes over the training set");
  r->Register("max_steps", &max_steps, "stop after this many optimizer steps (0 = no limit)");
  r->Register("accum_grad", &accum_grad, "batches per optimizer step");
  r->Register("grad_clip", &grad_clip, "largest L2 norm of all gradients (0 = no clipping)");
  r->Register("optimizer", &optimizer, "adam or adamw");
  r->Register("adam_beta1", &adam_beta1, "Adam's first-moment decay");
  r->Register("adam_beta2", &adam_beta2, "Adam's second-moment decay");
  r->Register("adam_eps", &adam_eps, "Adam's epsilon");
  lr.Register(r);
  r->Register("weight_decay", &weight_decay, "L2 (adam) or decoupled (adamw) weight decay");
  r->Register("ctc_weight", &ctc_weight, "CTC's share of the loss, 0..1 (the rest: attention)");
  r->Register("label_smoothing", &label_smoothing, "label smoothing of the attention loss, 0..1");
  r->Register("seed", &seed, "seed of every random choice (weights, batches, augmentation)");
  r->Register("precision", &precision, "fp32, or bf16 (autocast)");
  r->Register("keep_last", &keep_last, "newest epoch checkpoints kept (0 = all)");
  r->Register("keep_best", &keep_best, "best epoch checkpoints kept (checkpoints/best)");
  r->Register("best_metric", &best_metric, "how the best checkpoints rank: loss, accuracy or wer");
  r->Register("max_bad_batches", &max_bad_batches,
              "non-finite batches in a row before the run stops");
  r->Register("log_interval", &log_interval, "optimizer steps between log lines");
  r->Register("checkpoint_every", &checkpoint_every,
              "optimizer steps between mid-epoch checkpoints (0 = at epoch ends only)");
  r->Register("freeze_encoder_steps", &freeze_encoder_steps,
              "optimizer steps at the start during which the encoder does not change (0 = none)");
}

void TrainerOptions::Validate() const {
  Check(epochs >= 0, "trainer: epochs must not be negative");
  Check(accum_grad >= 1, "trainer: accum_grad must be at least 1");
  Check(max_bad_batches >= 1, "trainer: max_bad_batches must be at least 1");
  Check(log_interval >= 1, "trainer: log_interval must be at least 1");
  Check(freeze_encoder_steps >= 0, "trainer: freeze_encoder_steps must not be negative");
  Check(ctc_weight >= 0 && ctc_weight <= 1, "trainer: ctc_weight must be in [0, 1]");
  Check(precision == "fp32" || precision == "bf16",
        "trainer: precision must be fp32 or bf16, got '" + precision + "'");
  Check(optimizer == "adam" || optimizer == "adamw",
        "trainer: unknown optimizer '" + optimizer + "' (adam or adamw)");
}

}  // namespace verbatim
