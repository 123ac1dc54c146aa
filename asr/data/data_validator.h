// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Checks a Kaldi data directory before anyone trains on it, and reports every
// problem at once (KaldiDataDir::Read stops at the first): malformed lines,
// duplicated ids, ids present in one file and not another, bad segments,
// missing or unreadable audio (the header of every recording is opened),
// empty transcripts, characters the tokenizer cannot map, spk2utt out of step
// with utt2spk, unsorted files, and implausible durations. Error-level
// problems make the set unusable; warnings do not.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace verbatim {

// In report order.
enum class DataProblemKind {
  kMissingFile,           // wav.scp (or text when required) absent, or no recordings
  kBadLine,               // a line that does not parse
  kDuplicateId,           // a key given twice in one file
  kIdMismatch,            // an id in one of text/utt2spk/wav.scp/segments and not another
  kBadSegment,            // negative start, end <= start, unknown recording, outside the audio
  kPipeEntry,             // `cmd |` entry while pipes are not allowed
  kMissingAudio,          // the audio file does not exist
  kUnreadableAudio,       // the audio header (or pipe output) cannot be decoded
  kEmptyText,             // an utterance with an empty transcript
  kUnmappableCharacters,  // transcript characters the tokenizer cannot map
  kSpeakerMapMismatch,    // spk2utt is not the inverse of utt2spk
  kUnsorted,              // a file not in C-locale order (Kaldi tools need it)   [warning]
  kTooShort,              // duration below min_duration_s                          [warning]
  kTooLong,               // duration above max_duration_s                          [warning]
};

enum class Severity { kWarning, kError };

struct DataProblem {
  DataProblemKind kind;
  Severity severity = Severity::kError;
  std::string description;            // e.g. "duplicated id"
  size_t count = 0;                   // occurrences
  std::vector<std::string> examples;  // the first few, "<file>: line N: ..." where possible
};

struct DataValidationReport {
  std::string dir;
  size_t num_utterances = 0;
  size_t num_recordings = 0;
  size_t num_speakers = 0;
  double total_duration_s = 0.0;      // s, over the utterances whose duration is known
  std::vector<DataProblem> problems;  // one per kind found, in DataProblemKind order
  // Unmappable characters over the whole set (UTF-8) -> utterances using them.
  std::map<std::string, size_t> unmappable_characters;

  size_t CountErrors() const;    // occurrences at error level
  size_t CountWarnings() const;  // occurrences at warning level
  bool usable() const { return CountErrors() == 0; }
  // The problem of that kind, or nullptr when there was none.
  const DataProblem* Find(DataProblemKind kind) const;
  // Multi-line human-readable summary: counts per problem and examples.
  std::string Summary() const;
};

// Returns the characters (UTF-8, one string each) of `text` that the
// tokenizer cannot map; empty when all can be mapped.
using UnmappableCharactersFn = std::function<std::vector<std::string>(const std::string& text)>;

struct DataValidatorOptions {
  double min_duration_s = 0.1;     // s; shorter utterances are reported (warning)
  double max_duration_s = 3600.0;  // s; longer utterances are reported (warning)
  bool require_text = true;        // a missing `text` file is an error (off: untranscribed sets)
  bool allow_pipes = false;        // run `cmd |` entries to check their output (off: errors)
  int threads = 2;                 // threads opening audio headers
  size_t max_examples = 5;         // examples kept per problem kind
  double max_segment_overshoot_s = 0.5;  // s a segment may end past its recording (as reading)
  UnmappableCharactersFn unmappable_characters;  // unset: characters are not checked
};

class DataValidator {
 public:
  explicit DataValidator(const DataValidatorOptions& opts = {}) : opts_(opts) {}
  // Never throws for problems of the data: they go into the report.
  DataValidationReport Validate(const std::string& dir) const;

 private:
  DataValidatorOptions opts_;
};

// A hook for DataValidatorOptions::unmappable_characters from a character
// set: the non-whitespace UTF-8 characters of `charset` are the ones
// allowed; spaces and tabs between words always are. Bytes that are not
// valid UTF-8 are reported as "\xNN".
UnmappableCharactersFn CharsetChecker(const std::string& charset);

}  // namespace verbatim
