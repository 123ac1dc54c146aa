// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi's `utt2dur` (`utt seconds` per line) as a cache beside a data
// directory: measuring durations means opening every audio file, which is
// slow for large sets, so it is done once and re-used until the data changes.
// The cache is stale when wav.scp or segments is newer than utt2dur, or when
// it does not list exactly the utterances of the set; a malformed utt2dur is
// treated as stale too (it is a cache, it can always be rebuilt).
#pragma once

#include <string>
#include <vector>

namespace verbatim {

class DurationCache {
 public:
  // `dir`: the Kaldi data directory (utt2dur, wav.scp, segments live there).
  explicit DurationCache(std::string dir);

  const std::string& path() const { return path_; }

  // Returns true and fills `durations_s` (seconds, in the order of `ids`)
  // when the cache is fresh and lists exactly `ids`; false otherwise.
  bool Load(const std::vector<std::string>& ids, std::vector<double>* durations_s) const;
  // Writes utt2dur atomically, sorted by id. Returns false (writing nothing)
  // when the directory is not writable (e.g. a read-only corpus copy);
  // throws Error on any other failure.
  bool Save(const std::vector<std::string>& ids, const std::vector<double>& durations_s) const;

 private:
  bool IsFresh() const;

  std::string dir_;
  std::string path_;
};

}  // namespace verbatim
