// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The settings of the guided-attention loss (asr/train/losses.h), apart from
// the loss so that configuration code needs no LibTorch.
#pragma once

#include <cstdint>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

struct GuidedAttentionOptions {
  double weight = 0.0;      // loss weight (0 = off)
  double sigma = 0.2;       // g: width of the allowed band around the diagonal (fraction of length)
  std::vector<int> layers;  // decoder layers to guide (empty = all)
  std::vector<int> heads;   // heads to guide (empty = all)
  // The weight falls linearly to zero over this many optimizer steps
  // (0 = constant): once alignment is learnt, the guide can let go.
  int64_t decay_steps = 0;
  // Guide the decoder only: the guided loss is taken on a second decoder pass
  // over the encoder output cut from the graph, so its gradient shapes the
  // decoder's queries and keys but never reaches the encoder, which the CTC
  // branch shares (with the guide on every pass, the dev CTC loss lagged by
  // 4-7 nats per utterance: recipes/mini/results/guided_attention). Costs a
  // decoder forward and backward per step while the weight is above zero.
  bool detach_encoder = false;

  double WeightAt(int64_t step) const;
  void Register(OptionRegistry* registry);  // the names above
};

}  // namespace verbatim
