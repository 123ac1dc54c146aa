// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Training curves of a TrainingLogRecords as one SVG, panels stacked vertically, all
// against the optimizer step:
//   losses     train total / CTC / attention (/ guided when used) as lines,
//              validation values at epoch ends as markers
//   accuracy   train and validation token accuracy
//   lr         the learning rate
//   dev error  validation WER / CER, when the log has them ("wer", "cer",
//              "dev_wer", "dev_cer")
// Series are named "train loss", "train ctc", ..., "dev loss", ... (the SVG's
// data-series attributes).
#pragma once

#include "asr/plot/svg_document.h"
#include "asr/plot/training_log_records.h"

namespace verbatim {

struct TrainingCurvesOptions {
  double width_px = 900.0;         // px, the whole image
  double panel_height_px = 280.0;  // px, one panel
  bool log_loss = false;           // log10 y axis for the losses
  std::string title;               // above the first panel (e.g. the log's path)
};

// Throws Error when the log has no step and no epoch record.
SvgDocument PlotTrainingCurves(const TrainingLogRecords& log, const TrainingCurvesOptions& opts);

}  // namespace verbatim
