// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/feature_flags.h"

#include "asr/train/train_config.h"

namespace verbatim {

void FeatureFlags::Add(CLI::App* app) {
  flags_.Add(app, FbankOptions(), "Kaldi fbank options");
  app->add_option("--config", config_,
                  "YAML file whose 'features:' section is read before the flags (e.g. the "
                  "training configuration)");
}

FbankOptions FeatureFlags::Resolve() const {
  FbankOptions opts;
  if (!config_.empty()) opts = ReadFeaturesConfig(config_);
  flags_.Apply(&opts);
  opts.frame.Validate();
  return opts;
}

}  // namespace verbatim
