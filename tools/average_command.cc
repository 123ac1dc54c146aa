// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim average`: the element-wise mean of several checkpoints of an
// experiment (the last N epochs, or the N best listed by the trainer)
// exported as a model directory, as ESPnet's and WeNet's averaging.
#include <torch/torch.h>

#include <filesystem>
#include <iostream>

#include "base/error.h"
#include "tools/command.h"
#include "tools/experiment_dir.h"

namespace verbatim {
namespace {

class AverageCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "average",
        "Average checkpoints of a training run into a model directory.\n"
        "--last N takes the newest N epoch checkpoints (EXP/checkpoints/epoch-*.pt); --best N\n"
        "the first N of EXP/checkpoints/best (best first, kept by the trainer when it ranks\n"
        "checkpoints by validation loss). The tokenizer and CMVN come from the flags, else\n"
        "from EXP/tokenizer and EXP/cmvn.txt, else from EXP/model.\n"
        "Example: verbatim average --exp exp/train --best 10 --out exp/train/model_best10");
    sub->add_option("--exp", exp_dir_, "Experiment directory of verbatim train")->required();
    auto* last = sub->add_option("--last", last_, "Average the newest N epoch checkpoints");
    auto* best = sub->add_option("--best", best_, "Average the N best checkpoints");
    last->excludes(best);
    best->excludes(last);
    sub->add_option("--out", out_dir_, "Model directory to write")->required();
    sub->add_option("--tokenizer", tokenizer_dir_, "Tokenizer directory used in training");
    sub->add_option("--cmvn", cmvn_path_, "Global CMVN statistics used in training");
    return sub;
  }

  int Run() override {
    Check(last_ > 0 || best_ > 0, "give --last N or --best N (N >= 1)");
    const ExperimentDir exp(exp_dir_);
    const std::vector<std::string> paths =
        best_ > 0 ? exp.BestCheckpoints(best_) : exp.LastCheckpoints(last_);
    const int wanted = best_ > 0 ? best_ : last_;
    if (static_cast<int>(paths.size()) < wanted)
      std::cerr << "verbatim average: " << wanted << " checkpoints asked for, " << paths.size()
                << " available: averaging those\n";
    const TrainConfig config = exp.Config();
    const std::string tokenizer = exp.TokenizerDir(tokenizer_dir_);
    const std::string cmvn = exp.CmvnPath(cmvn_path_);
    if (cmvn.empty())
      std::cerr << "verbatim average: warning: no CMVN statistics found (give --cmvn if the "
                   "model was trained with them)\n";
    AsrModel model(config.model);
    ExportAveragedModel(model, config, paths, tokenizer, cmvn, out_dir_);
    std::cerr << "verbatim average: " << out_dir_ << " = mean of " << paths.size()
              << " checkpoint(s):";
    for (const std::string& p : paths)
      std::cerr << " " << std::filesystem::path(p).filename().string();
    std::cerr << "\n";
    return 0;
  }

 private:
  std::string exp_dir_, out_dir_, tokenizer_dir_, cmvn_path_;
  int last_ = 0, best_ = 0;
};

VERBATIM_REGISTER_COMMAND(AverageCommand);

}  // namespace
}  // namespace verbatim
