// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A `verbatim` subcommand: it declares its flags on a CLI11 subcommand, then
// runs. Flags live only in tools/; libraries get Options structs. Each
// subcommand lives in its own tools/<name>_command.cc and registers itself:
//   VERBATIM_REGISTER_COMMAND(FbankCommand);
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
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

using CommandFactory = std::function<std::unique_ptr<Command>()>;

// All registered subcommands (filled before main by static registration).
std::vector<CommandFactory>& CommandRegistry();

struct CommandRegistrar {
  explicit CommandRegistrar(CommandFactory factory) {
    CommandRegistry().push_back(std::move(factory));
  }
};

}  // namespace verbatim

#define VERBATIM_REGISTER_COMMAND(Class)                       \
  static const ::verbatim::CommandRegistrar kRegistrar##Class( \
      [] { return std::unique_ptr<::verbatim::Command>(new Class()); })
