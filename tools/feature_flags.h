// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The feature options of the commands that compute features (fbank,
// compute-cmvn): Kaldi's flag names (--num-mel-bins, --frame-shift, ...), made
// from FbankOptions::Register, the description the YAML features section
// uses too; and --config FILE, a YAML file whose features section is read
// first (a training configuration, so that CMVN statistics and training use
// the same features). Precedence: defaults < --config < flags.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "frontend/fbank.h"
#include "tools/option_flags.h"

namespace verbatim {

class FeatureFlags {
 public:
  void Add(CLI::App* app);
  // The options the command line asks for (reads --config).
  FbankOptions Resolve() const;

 private:
  OptionFlags flags_;
  std::string config_;
};

}  // namespace verbatim
