// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi's fbank option names and defaults as command-line flags, shared by
// every subcommand that computes features.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "frontend/fbank.h"

namespace verbatim {

class FbankFlags {
 public:
  // Adds --num-mel-bins, --frame-length, ... to `app`, bound to `opts`.
  void Add(CLI::App* app, FbankOptions* opts);
  // Applies what the parser could not bind directly (window type name).
  void Finish(FbankOptions* opts) const;

 private:
  std::string window_type_ = "povey";
};

}  // namespace verbatim
