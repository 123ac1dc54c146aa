// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/model_init_options.h"

namespace verbatim {

void ModelInitOptions::Register(OptionRegistry* r) {
  r->Register("model_dir", &model_dir,
              "model directory whose weights start the run (empty: random initialization)");
  r->Register("parts", &parts,
              "tensor name prefixes copied from model_dir, e.g. [encoder] (empty: all)");
}

}  // namespace verbatim
