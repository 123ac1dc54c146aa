// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/guided_attention_options.h"

#include <algorithm>

namespace verbatim {

void GuidedAttentionOptions::Register(OptionRegistry* r) {
  r->Register("weight", &weight, "loss weight (0 = off)");
  r->Register("sigma", &sigma, "width of the band around the diagonal, fraction of the length");
  r->Register("layers", &layers, "decoder layers to guide (empty = all)");
  r->Register("heads", &heads, "attention heads to guide (empty = all)");
  r->Register("decay_steps", &decay_steps,
              "optimizer steps over which the weight falls linearly to 0 (0 = constant)");
  r->Register("detach_encoder", &detach_encoder,
              "guide the decoder only: its gradient never reaches the encoder");
}

double GuidedAttentionOptions::WeightAt(int64_t step) const {
  if (decay_steps <= 0) return weight;
  return weight * std::max(0.0, 1.0 - static_cast<double>(step) / static_cast<double>(decay_steps));
}

}  // namespace verbatim
