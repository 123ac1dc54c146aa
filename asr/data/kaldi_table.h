// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Kaldi tables (wav.scp, text, utt2spk, segments, ...): one entry per line,
// `key value`, the key up to the first space or tab and the value the rest
// of the line, trimmed. Empty lines are skipped. One reader for every table
// of a data directory: the strict one (data directories, errors) and the
// lenient one (validation, which reports every problem instead of stopping).
#pragma once

#include <string>
#include <vector>

namespace verbatim {

struct ScpEntry {
  std::string key;
  std::string value;  // may be empty (a `text` line with an id alone)
  int line = 0;       // 1-based line number in the file
};

// `s` without leading and trailing spaces, tabs and carriage returns.
std::string Trim(const std::string& s);

// Every non-empty line of `path` as an entry, unchecked. Returns false (and
// no lines) when the file cannot be opened.
bool ReadKaldiTableLines(const std::string& path, std::vector<ScpEntry>* lines);

// The entries of `path`; throws Error("path: line N: ...") for a duplicated
// key, and for a line without a value unless `allow_empty_value`.
std::vector<ScpEntry> ReadKaldiTable(const std::string& path, bool allow_empty_value);

// "12.5" -> 12.5 seconds; false for anything but a finite number.
bool ParseSeconds(const std::string& field, double* seconds);

}  // namespace verbatim
