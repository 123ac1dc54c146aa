// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim export`: one checkpoint of an experiment (the latest by default)
// as a model directory.
#include <torch/torch.h>

#include <iostream>

#include "tools/command.h"
#include "tools/experiment_dir.h"

namespace verbatim {
namespace {

class ExportCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "export",
        "Export one checkpoint of a training run (default: the latest) as a model directory.\n"
        "The tokenizer and CMVN come from the flags, else from EXP/tokenizer and\n"
        "EXP/cmvn.txt, else from EXP/model.\n"
        "Example: verbatim export --exp exp/train --checkpoint exp/train/checkpoints/epoch-3.pt\n"
        "           --out exp/train/model_epoch3");
    sub->add_option("--exp", exp_dir_, "Experiment directory of verbatim train")->required();
    sub->add_option("--checkpoint", checkpoint_, "Checkpoint (default: EXP/checkpoints/latest)");
    sub->add_option("--out", out_dir_, "Model directory to write")->required();
    sub->add_option("--tokenizer", tokenizer_dir_, "Tokenizer directory used in training");
    sub->add_option("--cmvn", cmvn_path_, "Global CMVN statistics used in training");
    return sub;
  }

  int Run() override {
    const ExperimentDir exp(exp_dir_);
    const std::string checkpoint = checkpoint_.empty() ? exp.LatestCheckpoint() : checkpoint_;
    const TrainConfig config = exp.Config();
    const std::string tokenizer = exp.TokenizerDir(tokenizer_dir_);
    const std::string cmvn = exp.CmvnPath(cmvn_path_);
    if (cmvn.empty())
      std::cerr << "verbatim export: warning: no CMVN statistics found (give --cmvn if the "
                   "model was trained with them)\n";
    AsrModel model(config.model);
    ExportAveragedModel(model, config, {checkpoint}, tokenizer, cmvn, out_dir_);
    std::cerr << "verbatim export: " << checkpoint << " -> " << out_dir_ << "\n";
    return 0;
  }

 private:
  std::string exp_dir_, checkpoint_, out_dir_, tokenizer_dir_, cmvn_path_;
};

VERBATIM_REGISTER_COMMAND(ExportCommand);

}  // namespace
}  // namespace verbatim
