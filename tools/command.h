// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A `verbatim` subcommand: it declares its flags on a CLI11 subcommand, then
// runs. Flags live only in tools/; libraries get Options structs.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

namespace verbatim {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to `app`; returns the subcommand.
  virtual CLI::App* Setup(CLI::App* app) = 0;
  // Runs after a successful parse. Throws verbatim::Error on failure; the
  // return value is the process exit status.
  virtual int Run() = 0;
};

// One factory per subcommand, each defined in its own tools/<name>_command.cc.
std::unique_ptr<Command> MakeFbankCommand();
std::unique_ptr<Command> MakeComputeCmvnCommand();
std::unique_ptr<Command> MakeAudioInfoCommand();

}  // namespace verbatim
