// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The experiment directory of `verbatim train`, as `average` and `export`
// (and train's own final export) read it:
//   EXP/config.yaml            resolved training configuration
//   EXP/checkpoints/epoch-N.pt checkpoint after epoch N (the last few are kept)
//   EXP/checkpoints/step-S.pt  mid-epoch resume point
//   EXP/checkpoints/latest     file name of the newest checkpoint
//   EXP/checkpoints/best       optional: checkpoint paths, one per line, best
//                              first (a relative path is looked up in
//                              EXP/checkpoints/, then in the working directory)
//   EXP/tokenizer/, EXP/cmvn.txt    optional copies of the training inputs
//   EXP/model/                 the model directory train exports
// Shared by the subcommands, so it lives in tools/ next to them.
#pragma once

#include <string>
#include <vector>

#include "asr/model/asr_model.h"
#include "asr/train/train_config.h"

namespace verbatim {

class ExperimentDir {
 public:
  // Throws Error when `path` has no checkpoints/ folder.
  explicit ExperimentDir(std::string path);

  const std::string& path() const { return path_; }
  std::string CheckpointDir() const { return path_ + "/checkpoints"; }

  // Epoch checkpoints, oldest first (possibly none).
  std::vector<std::string> EpochCheckpoints() const;
  // The newest `n` epoch checkpoints (fewer when fewer are kept); throws
  // Error when there is none.
  std::vector<std::string> LastCheckpoints(int n) const;
  // The first `n` entries of checkpoints/best (fewer when it lists fewer);
  // throws Error when the file is absent or lists a missing checkpoint.
  std::vector<std::string> BestCheckpoints(int n) const;
  // The checkpoint named by checkpoints/latest; throws Error when absent.
  std::string LatestCheckpoint() const;

  // EXP/config.yaml.
  TrainConfig Config() const;
  // The tokenizer directory: `flag` when given, else EXP/tokenizer, else
  // EXP/model/tokenizer; throws Error naming the flag when none exists.
  std::string TokenizerDir(const std::string& flag) const;
  // The CMVN statistics: `flag` when given, else EXP/cmvn.txt, else
  // EXP/model/cmvn.txt, else "" (no CMVN).
  std::string CmvnPath(const std::string& flag) const;

 private:
  std::string path_;
};

// Sets `model` to the average of `checkpoints` (none: `model` as it is) and
// writes the model directory `out` with the tokenizer and CMVN (cmvn_path ""
// = none). This is the one export path of train, average and export.
void ExportAveragedModel(AsrModel& model, const TrainConfig& config,
                         const std::vector<std::string>& checkpoints,
                         const std::string& tokenizer_dir, const std::string& cmvn_path,
                         const std::string& out);

}  // namespace verbatim
