// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/data_validator.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "asr/data/wav_scp.h"
#include "asr/util/parallel_for.h"
#include "asr/util/utf8.h"
#include "frontend/audio_reader.h"

namespace verbatim {
namespace {

using Kind = DataProblemKind;

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", s);
  return buf;
}

// "0.52 hours (1872.4 s)".
std::string Hours(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f hours (%.1f s)", seconds / 3600.0, seconds);
  return buf;
}

// Problems by kind, with the first few examples of each.
class Problems {
 public:
  explicit Problems(const DataValidatorOptions& opts) : opts_(opts) {}

  void Add(Kind kind, const std::string& example) {
    auto it = by_kind_.find(kind);
    if (it == by_kind_.end()) it = by_kind_.emplace(kind, Describe(kind)).first;
    if (it->second.examples.size() < opts_.max_examples) it->second.examples.push_back(example);
    ++it->second.count;
  }

  std::vector<DataProblem> Take() {
    std::vector<DataProblem> all;
    for (auto& p : by_kind_) all.push_back(std::move(p.second));
    return all;
  }

 private:
  DataProblem Describe(Kind kind) const {
    static const char* const kNames[] = {
        "missing or empty file",
        "malformed line",
        "duplicated id",
        "id in one file and not in another",
        "bad segment",
        "pipe entry (runs only with --allow-pipes)",
        "missing audio",
        "unreadable audio",
        "empty transcript",
        "characters the tokenizer cannot map",
        "spk2utt disagrees with utt2spk",
        "file not sorted (Kaldi tools need C-locale order: LC_ALL=C sort)",
        "",
        "",
    };
    DataProblem p{kind, Severity::kError, kNames[static_cast<int>(kind)], 0, {}};
    if (kind == Kind::kUnsorted || kind == Kind::kTooShort || kind == Kind::kTooLong)
      p.severity = Severity::kWarning;
    if (kind == Kind::kTooShort)
      p.description = "shorter than " + Seconds(opts_.min_duration_s) + " s";
    if (kind == Kind::kTooLong)
      p.description = "longer than " + Seconds(opts_.max_duration_s) + " s";
    return p;
  }

  const DataValidatorOptions& opts_;
  std::map<Kind, DataProblem> by_kind_;
};

using Row = ScpEntry;

// A Kaldi table read leniently: problems are reported, the first of
// duplicated keys is kept.
struct Table {
  std::string path;
  bool exists = false;
  std::vector<Row> rows;
  std::unordered_map<std::string, size_t> index;  // key -> row

  const Row* Get(const std::string& key) const {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &rows[it->second];
  }
  std::string Where(const Row& row) const { return path + ": line " + std::to_string(row.line); }
};

Table ReadTable(const std::string& dir, const std::string& name, bool allow_empty_value,
                Problems* problems) {
  Table table;
  table.path = dir + "/" + name;
  std::vector<ScpEntry> lines;
  table.exists = ReadKaldiTableLines(table.path, &lines);
  std::string previous;
  bool unsorted = false;
  for (Row& row : lines) {
    const std::string where = table.path + ": line " + std::to_string(row.line);
    if (row.value.empty() && !allow_empty_value) {
      problems->Add(Kind::kBadLine, where + ": '" + row.key + "' has no value");
      continue;
    }
    if (const Row* first = table.Get(row.key)) {
      problems->Add(Kind::kDuplicateId, where + ": '" + row.key + "' (first on line " +
                                            std::to_string(first->line) + ")");
      continue;
    }
    if (!unsorted && row.key < previous) {
      unsorted = true;  // one report per file is enough
      problems->Add(Kind::kUnsorted, where + ": '" + row.key + "' after '" + previous + "'");
    }
    previous = row.key;
    table.index[row.key] = table.rows.size();
    table.rows.push_back(std::move(row));
  }
  return table;
}

struct Utt {
  std::string id;
  std::string where;  // segments or wav.scp line
  std::string recording;
  double start_s = 0.0, end_s = -1.0;  // s; end < 0: the whole recording
  bool valid = true;                   // segment parsed and plausible
};

std::vector<Utt> UtterancesFromSegments(const Table& segments, const Table& wav,
                                        Problems* problems) {
  std::vector<Utt> utts;
  for (const Row& row : segments.rows) {
    Utt u{row.key, segments.Where(row), ""};
    std::istringstream fields(row.value);
    std::string start, end, extra;
    if (!(fields >> u.recording >> start >> end) || (fields >> extra) ||
        !ParseSeconds(start, &u.start_s) || !ParseSeconds(end, &u.end_s)) {
      problems->Add(Kind::kBadLine, u.where + ": expected 'utterance recording start end', got '" +
                                        row.key + " " + row.value + "'");
      u.valid = false;
    } else if (u.start_s < 0 || u.end_s <= u.start_s) {
      problems->Add(Kind::kBadSegment, u.where + ": '" + u.id + "' [" + start + ", " + end +
                                           ") s: negative start or end not after start");
      u.valid = false;
    } else if (!wav.Get(u.recording)) {
      problems->Add(Kind::kBadSegment,
                    u.where + ": '" + u.id + "' names unknown recording '" + u.recording + "'");
      u.valid = false;
    }
    utts.push_back(std::move(u));
  }
  return utts;
}

// Ids of `table` against the utterances (both ways).
void CheckIds(const Table& table, const std::vector<Utt>& utts, const std::string& source,
              Problems* problems) {
  if (!table.exists) return;
  std::unordered_set<std::string> ids;
  for (const Utt& u : utts) ids.insert(u.id);
  for (const Row& row : table.rows)
    if (!ids.count(row.key))
      problems->Add(Kind::kIdMismatch,
                    table.Where(row) + ": '" + row.key + "' is not in " + source);
  for (const Utt& u : utts)
    if (!table.Get(u.id))
      problems->Add(Kind::kIdMismatch, u.where + ": '" + u.id + "' has no entry in " + table.path);
}

void CheckSpeakerMap(const Table& utt2spk, const Table& spk2utt, Problems* problems) {
  if (!utt2spk.exists || !spk2utt.exists) return;
  std::unordered_map<std::string, std::string> speaker_of;  // from spk2utt
  for (const Row& row : spk2utt.rows) {
    std::istringstream utts(row.value);
    for (std::string utt; utts >> utt;) {
      const Row* given = utt2spk.Get(utt);
      if (!given || given->value != row.key)
        problems->Add(Kind::kSpeakerMapMismatch,
                      spk2utt.Where(row) + ": '" + utt + "' under speaker '" + row.key +
                          "', utt2spk says '" + (given ? given->value : "") + "'");
      speaker_of[utt] = row.key;
    }
  }
  for (const Row& row : utt2spk.rows)
    if (!speaker_of.count(row.key))
      problems->Add(Kind::kSpeakerMapMismatch,
                    utt2spk.Where(row) + ": '" + row.key + "' is not listed in spk2utt");
}

void CheckTexts(const Table& text, const UnmappableCharactersFn& unmappable, Problems* problems,
                DataValidationReport* report) {
  for (const Row& row : text.rows) {
    if (row.value.empty()) {
      problems->Add(Kind::kEmptyText, text.Where(row) + ": '" + row.key + "'");
      continue;
    }
    if (!unmappable) continue;
    std::set<std::string> chars;
    for (const std::string& c : unmappable(row.value)) chars.insert(c);
    if (chars.empty()) continue;
    std::string list;
    for (const std::string& c : chars) {
      list += (list.empty() ? "'" : " '") + c + "'";
      ++report->unmappable_characters[c];
    }
    problems->Add(Kind::kUnmappableCharacters, text.Where(row) + ": '" + row.key + "': " + list);
  }
}

// Duration of every wav.scp recording in seconds (-1 when it cannot be read),
// opening only the header of files.
std::vector<double> CheckAudio(const Table& wav, const DataValidatorOptions& opts,
                               Problems* problems) {
  struct Result {
    Kind kind = Kind::kMissingFile;  // meaningful when !message.empty()
    std::string message;
    double duration_s = -1.0;
  };
  std::vector<Result> results(wav.rows.size());
  ParallelFor(wav.rows.size(), opts.threads, [&](size_t i) {
    const Row& row = wav.rows[i];
    Result& r = results[i];
    const std::string where = wav.Where(row) + ": '" + row.key + "': ";
    if (IsPipeEntry(row.value) && !opts.allow_pipes) {
      r = {Kind::kPipeEntry, where + row.value};
      return;
    }
    struct stat st {};
    if (!IsPipeEntry(row.value) && ::stat(row.value.c_str(), &st) != 0 && errno == ENOENT) {
      r = {Kind::kMissingAudio, where + row.value + ": no such file"};
      return;
    }
    try {
      if (IsPipeEntry(row.value)) {
        WavScpOptions wav_opts;
        wav_opts.allow_pipes = true;
        wav_opts.audio.sample_rate_hz = 0;
        r.duration_s = ReadWavScpEntry(ScpEntry{row.key, row.value, row.line}, wav.path, wav_opts)
                           .DurationSeconds();
      } else {
        r.duration_s = ReadAudioInfo(row.value).DurationSeconds();
      }
    } catch (const std::exception& e) {
      r = {Kind::kUnreadableAudio, where + e.what()};
    }
  });
  std::vector<double> durations;
  for (const Result& r : results) {  // in file order: deterministic examples
    if (!r.message.empty()) problems->Add(r.kind, r.message);
    durations.push_back(r.duration_s);
  }
  return durations;
}

void CheckDurations(const std::vector<Utt>& utts, const Table& wav,
                    const std::vector<double>& recording_s, const DataValidatorOptions& opts,
                    Problems* problems, DataValidationReport* report) {
  for (const Utt& u : utts) {
    if (!u.valid) continue;
    const double recording = recording_s[wav.index.at(u.recording)];
    double duration = u.end_s >= 0 ? u.end_s - u.start_s : recording;
    if (u.end_s >= 0 && recording >= 0 &&
        (u.start_s >= recording || u.end_s > recording + opts.max_segment_overshoot_s)) {
      problems->Add(Kind::kBadSegment, u.where + ": '" + u.id + "' [" + Seconds(u.start_s) + ", " +
                                           Seconds(u.end_s) + ") s lies outside '" + u.recording +
                                           "' (" + Seconds(recording) + " s)");
      continue;
    }
    if (duration < 0) continue;  // unreadable audio, reported already
    report->total_duration_s += duration;
    const std::string example = u.where + ": '" + u.id + "': " + Seconds(duration) + " s";
    if (duration < opts.min_duration_s) problems->Add(Kind::kTooShort, example);
    if (duration > opts.max_duration_s) problems->Add(Kind::kTooLong, example);
  }
}

}  // namespace

DataValidationReport DataValidator::Validate(const std::string& dir) const {
  Problems problems(opts_);
  DataValidationReport report;
  report.dir = dir;
  const Table wav = ReadTable(dir, "wav.scp", false, &problems);
  if (!wav.exists) {
    problems.Add(Kind::kMissingFile, wav.path + ": missing (a data directory needs one)");
    report.problems = problems.Take();
    return report;
  }
  if (wav.rows.empty()) problems.Add(Kind::kMissingFile, wav.path + ": no recordings");
  const Table segments = ReadTable(dir, "segments", false, &problems);
  const Table text = ReadTable(dir, "text", true, &problems);
  const Table utt2spk = ReadTable(dir, "utt2spk", false, &problems);
  const Table spk2utt = ReadTable(dir, "spk2utt", false, &problems);
  if (!text.exists && opts_.require_text)
    problems.Add(Kind::kMissingFile, text.path + ": missing (transcripts are required)");

  std::vector<Utt> utts;
  if (segments.exists) {
    utts = UtterancesFromSegments(segments, wav, &problems);
  } else {
    for (const Row& row : wav.rows) utts.push_back(Utt{row.key, wav.Where(row), row.key});
  }
  const std::string source = segments.exists ? segments.path : wav.path;
  CheckIds(text, utts, source, &problems);
  CheckIds(utt2spk, utts, source, &problems);
  CheckSpeakerMap(utt2spk, spk2utt, &problems);
  CheckTexts(text, opts_.unmappable_characters, &problems, &report);
  const std::vector<double> recording_s = CheckAudio(wav, opts_, &problems);
  CheckDurations(utts, wav, recording_s, opts_, &problems, &report);

  report.num_utterances = utts.size();
  report.num_recordings = wav.rows.size();
  std::set<std::string> speakers;
  for (const Row& row : utt2spk.rows) speakers.insert(row.value);
  report.num_speakers = utt2spk.exists ? speakers.size() : utts.size();
  report.problems = problems.Take();
  return report;
}

size_t DataValidationReport::CountErrors() const {
  size_t n = 0;
  for (const DataProblem& p : problems) n += p.severity == Severity::kError ? p.count : 0;
  return n;
}

size_t DataValidationReport::CountWarnings() const {
  size_t n = 0;
  for (const DataProblem& p : problems) n += p.severity == Severity::kWarning ? p.count : 0;
  return n;
}

const DataProblem* DataValidationReport::Find(DataProblemKind kind) const {
  for (const DataProblem& p : problems)
    if (p.kind == kind) return &p;
  return nullptr;
}

std::string DataValidationReport::Summary() const {
  std::ostringstream out;
  out << dir << ": " << num_utterances << " utterances, " << num_recordings << " recordings, "
      << num_speakers << " speakers, " << Hours(total_duration_s) << "\n";
  for (const DataProblem& p : problems) {
    out << (p.severity == Severity::kError ? "error" : "warning") << ": " << p.description << ": "
        << p.count << "\n";
    for (const std::string& e : p.examples) out << "  " << e << "\n";
    if (p.count > p.examples.size()) out << "  ... (" << p.count - p.examples.size() << " more)\n";
  }
  if (!unmappable_characters.empty()) {
    out << "characters the tokenizer cannot map (utterances):";
    for (const auto& c : unmappable_characters) out << " '" << c.first << "' (" << c.second << ")";
    out << "\n";
  }
  out << dir << ": " << (usable() ? "usable" : "NOT usable") << " (" << CountErrors() << " errors, "
      << CountWarnings() << " warnings)\n";
  return out.str();
}

UnmappableCharactersFn CharsetChecker(const std::string& charset) {
  std::unordered_set<std::string> allowed;
  for (const std::string& c : SplitUtf8CharactersLenient(charset))
    if (c.size() > 1 || !std::isspace(static_cast<unsigned char>(c[0]))) allowed.insert(c);
  return [allowed](const std::string& text) {
    std::vector<std::string> unknown;
    for (const std::string& c : SplitUtf8CharactersLenient(text))
      if (c != " " && c != "\t" && !allowed.count(c)) unknown.push_back(c);
    return unknown;
  };
}

}  // namespace verbatim
