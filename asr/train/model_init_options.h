// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Where a training run's first weights come from (the `init` section of the
// training configuration; asr/train/model_initializer.h does the copying).
#pragma once

#include <string>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

struct ModelInitOptions {
  std::string model_dir;           // a model directory; empty = random initialization
  std::vector<std::string> parts;  // tensor name prefixes copied, e.g. encoder (empty = all)
  void Register(OptionRegistry* registry);  // model_dir, parts
};

}  // namespace verbatim
