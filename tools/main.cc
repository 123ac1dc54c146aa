// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim SUBCOMMAND ...`: the only place that catches exceptions and turns
// them into a one-line error and a non-zero exit status.
#include <ATen/Context.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "base/error.h"
#include "tools/command.h"
#include "asr/util/runtime_environment.h"

namespace verbatim {
std::vector<CommandFactory>& CommandRegistry() {
  static std::vector<CommandFactory> registry;
  return registry;
}
}  // namespace verbatim

int main(int argc, char** argv) {
  verbatim::PrepareRuntimeEnvironment(argv);
  // Trained weights drive some activations and gradients into the denormal
  // range, where each float operation costs ~100 cycles: the mini recipe's
  // training fell from 115x to 60x real time within its first epoch. Flushing
  // them to zero (SSE FTZ/DAZ) costs nothing in accuracy that matters here.
  // Set before any thread starts: threads inherit the FP environment.
  at::globalContext().setFlushDenormal(true);
  CLI::App app{
      "Verbatim: end-to-end speech recognition (Kaldi-compatible features, "
      "Transformer CTC/attention models on LibTorch)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("verbatim 0.1.0 (LibTorch ") + TORCH_VERSION + ")");

  std::vector<std::unique_ptr<verbatim::Command>> commands;
  for (const auto& factory : verbatim::CommandRegistry()) commands.push_back(factory());
  std::vector<std::pair<CLI::App*, verbatim::Command*>> subs;
  for (auto& c : commands) subs.emplace_back(c->Setup(&app), c.get());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& sub : subs) {
    if (!sub.first->parsed()) continue;
    try {
      return sub.second->Run();
    } catch (const c10::Error& e) {
      // LibTorch's own errors carry a backtrace: keep the one-line message.
      std::string message = e.what_without_backtrace();
      message = message.substr(0, message.find('\n'));
      std::cerr << "verbatim " << sub.first->get_name() << ": error: " << message << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "verbatim " << sub.first->get_name() << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  return 1;
}
