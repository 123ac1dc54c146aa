// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// One utterance of a data set, as a Kaldi data directory describes it.
#pragma once

#include <string>

namespace verbatim {

struct Utterance {
  std::string id;            // utterance id (Kaldi: first column of text/utt2spk/segments)
  std::string speaker;       // speaker id (utt2spk); the utterance id when unknown
  std::string text;          // transcript as written in `text` ("" when the set has none)
  std::string recording;     // recording id: the wav.scp key (= id without segments)
  std::string audio;         // wav.scp value: a path, or a command ending in '|'
  double start_s = 0.0;      // seconds into the recording (segments)
  double end_s = -1.0;       // seconds; < 0 means the end of the recording
  double duration_s = -1.0;  // seconds, from the utt2dur cache; < 0 when unknown
};

}  // namespace verbatim
