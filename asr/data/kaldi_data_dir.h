// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A Kaldi data directory: `wav.scp` (recording -> path, or `cmd |`), `text`
// (utterance -> transcript, the rest of the line), `utt2spk`, and optional
// `segments` (`utt recording start end`, seconds), read into utterances
// sorted by id. Reading is strict: a malformed line, a duplicated id, an id
// present in one file and absent from another, a bad segment, or a pipe entry
// that was not allowed is an Error naming the file (and line). Durations come
// from the utt2dur cache (see duration_cache.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "asr/data/utterance.h"
#include "asr/data/wav_scp.h"
#include "frontend/audio_reader.h"

namespace verbatim {

struct DataDirOptions {
  bool allow_pipes = false;    // accept `cmd |` wav.scp entries (they run when audio is read)
  bool require_text = true;    // a missing `text` file is an error (off: untranscribed sets)
  bool load_durations = true;  // fill duration_s from utt2dur, measuring it when absent or stale
  int threads = 2;             // threads measuring durations (audio headers)
};

// Reads the audio of `utt`: the whole recording, or its segment; a file, or
// (when allowed) a `cmd |` entry. `entry` is its wav.scp line and `scp_path`
// names the table in errors.
Waveform ReadUtteranceAudio(const Utterance& utt, const ScpEntry& entry,
                            const std::string& scp_path, const WavScpOptions& opts);
// The same for an utterance on its own (its wav.scp line unknown).
Waveform ReadUtteranceAudio(const Utterance& utt, const WavScpOptions& opts);

class KaldiDataDir {
 public:
  KaldiDataDir() = default;
  // A set built in memory (e.g. by a corpus importer); sorted by id. Empty
  // speakers become the utterance id, empty recordings the utterance id.
  // Throws on duplicated ids, a recording given two different audio entries,
  // refused pipe entries, or a mix of segmented and whole-recording utterances.
  explicit KaldiDataDir(std::vector<Utterance> utterances, const DataDirOptions& opts = {});

  static KaldiDataDir Read(const std::string& dir, const DataDirOptions& opts = {});

  const std::vector<Utterance>& utterances() const { return utts_; }
  size_t size() const { return utts_.size(); }
  bool has_text() const { return has_text_; }
  bool has_segments() const { return has_segments_; }
  const std::string& dir() const { return dir_; }  // "" for a set built in memory
  // How many durations the last LoadDurations() measured (0: utt2dur re-used).
  size_t num_durations_measured() const { return num_measured_; }

  // Seconds of one utterance: end - start for a segment, else from the audio
  // header without decoding (a pipe entry is run and decoded).
  double MeasureDuration(const Utterance& utt) const;
  // Measures every utterance (opts.threads threads) into duration_s.
  void MeasureDurations();
  // Fills duration_s from <dir>/utt2dur when fresh, else measures and writes
  // it (atomically; not written when the directory is read-only).
  void LoadDurations();

  // Writes wav.scp, text (when the set has text), utt2spk, spk2utt, segments
  // (when segmented) and utt2dur (when every duration is known), each file
  // atomically and sorted as Kaldi expects (C locale byte order). Stale
  // segments/text/utt2dur files the set does not have are removed.
  void Write(const std::string& dir) const;

  // The audio of an utterance of this set: the whole recording, or its
  // segment (decoding only that part of a file). Pipe entries run only when
  // the set was read with allow_pipes.
  Waveform ReadAudio(const Utterance& utt, const AudioReadOptions& opts = {}) const;

 private:
  void Finish();  // sorts, checks ids, recordings and pipes; indexes recordings
  ScpEntry EntryOf(const Utterance& utt) const;
  std::string WavScpPath() const;

  std::string dir_;
  DataDirOptions opts_;
  std::vector<Utterance> utts_;
  std::map<std::string, ScpEntry> recordings_;  // wav.scp entries by recording id
  bool has_text_ = false;
  bool has_segments_ = false;
  size_t num_measured_ = 0;
};

}  // namespace verbatim
