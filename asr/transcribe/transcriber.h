// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Transcribes audio files of any length with a model directory. The file is
// read block by block; an energy VAD (frontend/energy_vad.h) cuts it into
// speech segments as it goes; segments are decoded in batches, and the
// words of each best hypothesis are timed by a CTC forced alignment. Memory
// stays flat in the length of the file: at most one open segment, one
// block and one batch of segments are held at a time.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "asr/decode/batch_decoder.h"
#include "asr/decode/model_features.h"
#include "asr/model/model_dir.h"
#include "asr/search/search.h"
#include "asr/transcribe/transcript.h"
#include "frontend/energy_vad.h"

namespace verbatim {

struct TranscriberOptions {
  EnergyVadOptions vad;
  std::string search = "attention";  // a name of asr/decode/search_factory.h
  SearchOptions search_options;
  int batch_size = 8;          // segments per decoder call
  int threads = 1;             // threads computing features
  double read_block_s = 30.0;  // s of audio read at a time
  std::string device = "cpu";  // where the model is
  void Validate() const;       // throws Error on out-of-range values
};

class Transcriber {
 public:
  // `model` (loaded on opts.device) must outlive the transcriber.
  Transcriber(const LoadedModel& model, const TranscriberOptions& opts);

  // Called after every block read: seconds of audio read, seconds in the file.
  using Progress = std::function<void(double done_s, double total_s)>;
  // Throws Error naming `path` for unreadable or empty (0-sample) files.
  // Audio without speech gives a transcript without segments.
  FileTranscript Transcribe(const std::string& path, const Progress& progress = {});

 private:
  struct PendingSegment {
    double start_s, end_s;
    std::vector<float> samples;
  };
  void DecodeSegments(std::vector<PendingSegment>* pending, FileTranscript* out);

  const LoadedModel& model_;
  TranscriberOptions opts_;
  ModelFeatures features_;
  BatchDecoder decoder_;
  double ctc_frame_s_;  // s per encoder frame
};

}  // namespace verbatim
