// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Which checkpoints of an experiment stay on disk, and the small index files
// next to them in EXP/checkpoints/:
//   latest  the name of the newest checkpoint (what --resume continues from)
//   scores  one line per validated epoch checkpoint: "name epoch dev_loss
//           dev_accuracy dev_wer_percent" (wer -1 when not measured)
//   best    the kept best epoch checkpoints by `best_metric`, best first, one
//           name per line (what `verbatim train --average-from best` averages)
// Epoch checkpoints are kept while they are among the last `keep_last` or the
// best `keep_best`; a mid-epoch (step-N.pt) checkpoint only until the next
// one. Every index file is written atomically, after its checkpoint.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace verbatim {

struct CheckpointKeeperOptions {
  int keep_last = 3;  // newest epoch checkpoints kept (count; 0 = keep all)
  int keep_best = 3;  // best epoch checkpoints kept (count; 0 = none beyond the last ones)
  // loss: lowest dev loss (as WeNet); accuracy: highest dev token accuracy
  // (as ESPnet); wer: lowest CTC greedy dev WER.
  std::string best_metric = "loss";
};

struct EpochScore {
  std::string name;     // checkpoint file name, e.g. "epoch-3.pt"
  int64_t epoch = 0;    // epochs done
  double loss = 0;      // dev loss (nats per utterance)
  double accuracy = 0;  // dev token accuracy, 0..1
  double wer = -1;      // dev CTC greedy WER in percent (-1: not measured)
};

class CheckpointKeeper {
 public:
  // `dir` is EXP/checkpoints (must exist before Committed). Throws Error for an
  // unknown best_metric.
  CheckpointKeeper(std::string dir, const CheckpointKeeperOptions& opts);

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Full path of the newest checkpoint, "" when there is none.
  std::string Latest() const;
  // Records a checkpoint just written: `name` becomes the latest; an epoch
  // checkpoint (`score` not null when it was validated) updates `scores` and
  // `best`; then checkpoints no longer kept are removed.
  void Committed(const std::string& name, bool epoch_end, const EpochScore* score);
  // The names in `best`, best first (empty when there is none).
  std::vector<std::string> Best() const;
  // The lines of `scores`.
  std::vector<EpochScore> Scores() const;
  // Removes the temporary files (NAME.tmp.PID, base/atomic_file.h) that a
  // killed process left behind (its PID no longer runs): a run killed in
  // the middle of writing a checkpoint would otherwise leave one behind at
  // every restart, each as large as a checkpoint. Returns how many.
  int RemoveStaleTemporaries() const;

 private:
  bool Better(const EpochScore& a, const EpochScore& b) const;
  void WriteLines(const std::string& file, const std::vector<std::string>& lines) const;
  void Prune(const std::vector<std::string>& best) const;

  std::string dir_;
  CheckpointKeeperOptions opts_;
};

}  // namespace verbatim
