// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// LibriSpeech (openslr.org/12) in its original layout:
//   <root>/<subset>/<spk>/<chapter>/<spk>-<chapter>-<utt>.flac
//   <root>/<subset>/<spk>/<chapter>/<spk>-<chapter>.trans.txt  ("ID TRANSCRIPT" lines)
// read into one Kaldi data set per subset, as Kaldi's recipe does: absolute
// FLAC paths, transcripts as written, speaker = <spk>-<chapter>. Audio
// without a transcript and transcript lines without audio are left out of
// the set and listed, never dropped silently.
#pragma once

#include <string>
#include <vector>

#include "asr/data/kaldi_data_dir.h"

namespace verbatim {

struct LibriSpeechOptions {
  int threads = 2;  // threads reading FLAC headers for the durations
};

struct LibriSpeechSubset {
  std::string name;   // e.g. "dev-clean"
  KaldiDataDir data;  // utterances with both audio and text; durations measured
  std::vector<std::string> audio_without_text;  // .flac paths no transcript line names
  std::vector<std::string> text_without_audio;  // "<trans.txt>: line N: <id>"
};

class LibriSpeech {
 public:
  // `root`: the folder holding the subsets (e.g. .../LibriSpeech).
  explicit LibriSpeech(const std::string& root, const LibriSpeechOptions& opts = {});

  const std::string& root() const { return root_; }  // absolute
  // The sub-folders of root (sorted): the subsets that can be read.
  std::vector<std::string> AvailableSubsets() const;
  // Throws Error when `subset` is not a sub-folder of root, listing those
  // that are.
  void CheckSubset(const std::string& subset) const;
  // Throws Error when the subset is missing (see CheckSubset), when a name does not fit the layout,
  // on malformed transcript lines, duplicated ids, unreadable FLAC headers, or when nothing is
  // left.
  LibriSpeechSubset ReadSubset(const std::string& subset) const;

  // The data directory name of a subset, as Kaldi/ESPnet: "dev-clean" -> "dev_clean".
  static std::string DataDirName(const std::string& subset);

 private:
  std::string root_;
  LibriSpeechOptions opts_;
};

}  // namespace verbatim
