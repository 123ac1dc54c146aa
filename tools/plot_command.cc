// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim plot`: training curves (losses, accuracy, learning rate,
// validation points) from EXP/train.log.jsonl as SVG (or PNG).
#include <iostream>

#include "asr/plot/training_curves.h"
#include "asr/plot/training_log_records.h"
#include "tools/command.h"
#include "tools/image_output.h"

namespace verbatim {
namespace {

class PlotCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "plot",
        "Plot training curves from the JSONL log of verbatim train: total, CTC, attention\n"
        "and guided-attention losses, token accuracy and learning rate against the step\n"
        "(lines: training averages; dots: validation at the end of each epoch).\n"
        "Writes SVG, or PNG when OUT ends in .png and rsvg-convert is installed.\n"
        "Example: verbatim plot --log exp/train/train.log.jsonl --out exp/train/curves.svg");
    sub->add_option("--log", log_path_, "train.log.jsonl of an experiment")->required();
    sub->add_option("--out", out_path_, "Image to write (.svg or .png)")->required();
    sub->add_option("--title", opts_.title, "Title (default: the log's path)");
    sub->add_flag("--log-loss", opts_.log_loss, "Logarithmic loss axis");
    sub->add_option("--width", opts_.width_px, "Width in pixels")->capture_default_str();
    return sub;
  }

  int Run() override {
    const TrainingLogRecords log = ReadTrainingLog(log_path_);
    if (opts_.title.empty()) opts_.title = log_path_;
    SaveImage(PlotTrainingCurves(log, opts_), out_path_);
    std::cerr << "verbatim plot: " << log.steps.size() << " step and " << log.epochs.size()
              << " epoch records";
    if (log.restarts > 0)
      std::cerr << " (" << log.restarts << " restart(s): re-logged steps replace older ones)";
    std::cerr << " -> " << out_path_ << "\n";
    return 0;
  }

 private:
  std::string log_path_, out_path_;
  TrainingCurvesOptions opts_;
};

VERBATIM_REGISTER_COMMAND(PlotCommand);

}  // namespace
}  // namespace verbatim
