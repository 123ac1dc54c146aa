// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/kaldi_data_dir.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "asr/data/duration_cache.h"
#include "asr/util/parallel_for.h"
#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace fs = std::filesystem;
namespace {

std::string Where(const std::string& path, int line) {
  return path + ": line " + std::to_string(line);
}

std::string PipeRefusal(const std::string& where, const std::string& value) {
  return where + ": refusing the pipe entry '" + value +
         "' (pipe entries run only with --allow-pipes)";
}

double SecondsField(const std::string& field, const std::string& what, const std::string& where) {
  double value = 0.0;
  Check(ParseSeconds(field, &value),
        where + ": bad " + what + " time '" + field + "' (seconds expected)");
  return value;
}

void CheckSegment(double start_s, double end_s, const std::string& where) {
  Check(start_s >= 0, where + ": negative start time " + std::to_string(start_s) + " s");
  Check(end_s > start_s, where + ": end time " + std::to_string(end_s) +
                             " s is not after the start time " + std::to_string(start_s) + " s");
}

std::string FormatSeconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", seconds);
  return buf;
}

// Utterances from `segments` when present, else one per wav.scp entry.
std::vector<Utterance> UtterancesOf(const std::string& dir,
                                    const std::map<std::string, ScpEntry>& recordings) {
  std::vector<Utterance> utts;
  const std::string path = dir + "/segments";
  if (!fs::exists(path)) {
    for (const auto& rec : recordings)
      utts.push_back(Utterance{rec.first, "", "", rec.first, rec.second.value});
    return utts;
  }
  for (const ScpEntry& e : ReadScp(path)) {
    const std::string where = Where(path, e.line);
    std::istringstream fields(e.value);
    std::string recording, start, end, extra;
    Check(
        static_cast<bool>(fields >> recording >> start >> end) && !(fields >> extra),
        where + ": expected 'utterance recording start end', got '" + e.key + " " + e.value + "'");
    Utterance utt{e.key, "", "", recording, ""};
    utt.start_s = SecondsField(start, "start", where);
    utt.end_s = SecondsField(end, "end", where);
    CheckSegment(utt.start_s, utt.end_s, where);
    auto rec = recordings.find(recording);
    Check(rec != recordings.end(),
          where + ": unknown recording '" + recording + "' (not in wav.scp)");
    utt.audio = rec->second.value;
    utts.push_back(std::move(utt));
  }
  return utts;
}

// Applies a per-utterance table (text, utt2spk) with both-way id checks.
void ApplyTable(const std::string& path, const std::vector<ScpEntry>& table,
                const std::string& source, std::vector<Utterance>* utts,
                std::string Utterance::*field) {
  std::unordered_map<std::string, Utterance*> by_id;
  for (Utterance& u : *utts) by_id[u.id] = &u;
  std::unordered_set<std::string> given;
  for (const ScpEntry& e : table) {
    auto it = by_id.find(e.key);
    Check(it != by_id.end(),
          Where(path, e.line) + ": utterance '" + e.key + "' is not in " + source);
    it->second->*field = e.value;
    given.insert(e.key);
  }
  if (given.size() == utts->size()) return;
  size_t missing = 0;
  std::string first;
  for (const Utterance& u : *utts)
    if (!given.count(u.id) && missing++ == 0) first = u.id;
  throw Error(path + ": no entry for utterance '" + first + "' of " + source +
              (missing > 1 ? " (and " + std::to_string(missing - 1) + " more)" : ""));
}

// Writes `lines` (already sorted) to dir/name atomically.
void WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  AtomicOutputFile out(path);
  for (const std::string& line : lines) out.stream() << line << '\n';
  out.Commit();
}

void RemoveStale(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
  Check(!ec, path + ": cannot remove the stale file: " + ec.message());
}

}  // namespace

KaldiDataDir::KaldiDataDir(std::vector<Utterance> utterances, const DataDirOptions& opts)
    : opts_(opts), utts_(std::move(utterances)) {
  has_text_ =
      std::any_of(utts_.begin(), utts_.end(), [](const Utterance& u) { return !u.text.empty(); });
  Finish();
}

KaldiDataDir KaldiDataDir::Read(const std::string& dir, const DataDirOptions& opts) {
  Check(fs::is_directory(dir), dir + ": no such data directory");
  const std::string wav_path = dir + "/wav.scp";
  Check(fs::exists(wav_path), wav_path + ": missing (a data directory needs one)");
  KaldiDataDir set;
  set.dir_ = dir;
  set.opts_ = opts;
  for (ScpEntry& e : ReadScp(wav_path)) {
    if (IsPipeEntry(e.value) && !opts.allow_pipes)
      throw Error(PipeRefusal(Where(wav_path, e.line) + " (" + e.key + ")", e.value));
    set.recordings_[e.key] = std::move(e);
  }
  Check(!set.recordings_.empty(), wav_path + ": no recordings");
  const bool segmented = fs::exists(dir + "/segments");
  const std::string source = segmented ? "segments" : "wav.scp";
  set.utts_ = UtterancesOf(dir, set.recordings_);
  Check(!set.utts_.empty(), dir + "/segments: no utterances");
  const std::string text_path = dir + "/text", spk_path = dir + "/utt2spk";
  set.has_text_ = fs::exists(text_path);
  if (set.has_text_)
    ApplyTable(text_path, ReadKaldiTable(text_path, /*allow_empty_value=*/true), source, &set.utts_,
               &Utterance::text);
  else
    Check(!opts.require_text, text_path + ": missing (transcripts are required)");
  if (fs::exists(spk_path)) {
    const std::vector<ScpEntry> utt2spk = ReadScp(spk_path);
    for (const ScpEntry& e : utt2spk)
      Check(e.value.find_first_of(" \t") == std::string::npos,
            Where(spk_path, e.line) + ": expected 'utterance speaker', got '" + e.key + " " +
                e.value + "'");
    ApplyTable(spk_path, utt2spk, source, &set.utts_, &Utterance::speaker);
  }
  set.Finish();
  if (opts.load_durations) set.LoadDurations();
  return set;
}

void KaldiDataDir::Finish() {
  std::sort(utts_.begin(), utts_.end(),
            [](const Utterance& a, const Utterance& b) { return a.id < b.id; });
  has_segments_ =
      std::any_of(utts_.begin(), utts_.end(), [](const Utterance& u) { return u.end_s >= 0; });
  for (size_t i = 0; i < utts_.size(); ++i) {
    Utterance& u = utts_[i];
    const std::string what = "utterance '" + u.id + "'";
    // Any white space: an id ending in '\r' ("r1\r a.wav") would not survive
    // Write, which puts it at the end of a utt2spk line, where reading trims it.
    Check(!u.id.empty() && u.id.find_first_of(" \t\n\r\v\f") == std::string::npos,
          what + ": ids must be non-empty and without spaces");
    Check(i == 0 || utts_[i - 1].id != u.id, what + ": duplicated id");
    if (u.speaker.empty()) u.speaker = u.id;
    if (u.recording.empty()) u.recording = u.id;
    Check(!u.audio.empty(), what + ": no audio (empty wav.scp entry)");
    if (has_segments_) {
      Check(u.end_s >= 0, what + ": has no segment while other utterances do");
      CheckSegment(u.start_s, u.end_s, what);
    } else {
      Check(u.recording == u.id && u.start_s == 0,
            what + ": a recording other than its own or a start time needs a segment end");
    }
    if (IsPipeEntry(u.audio) && !opts_.allow_pipes) throw Error(PipeRefusal(what, u.audio));
    auto inserted = recordings_.emplace(u.recording, ScpEntry{u.recording, u.audio, 0});
    Check(inserted.first->second.value == u.audio,
          what + ": recording '" + u.recording + "' has two audio entries: '" +
              inserted.first->second.value + "' and '" + u.audio + "'");
  }
}

std::string KaldiDataDir::WavScpPath() const {
  return dir_.empty() ? std::string("wav.scp") : dir_ + "/wav.scp";
}

ScpEntry KaldiDataDir::EntryOf(const Utterance& utt) const {
  auto it = recordings_.find(utt.recording);
  if (it != recordings_.end() && it->second.value == utt.audio) return it->second;
  return ScpEntry{utt.recording, utt.audio, 0};  // an utterance from elsewhere
}

double KaldiDataDir::MeasureDuration(const Utterance& utt) const {
  if (utt.end_s >= 0) return utt.end_s - utt.start_s;
  const ScpEntry entry = EntryOf(utt);
  if (IsPipeEntry(entry.value)) {
    WavScpOptions wav;
    wav.allow_pipes = opts_.allow_pipes;
    wav.audio.sample_rate_hz = 0;  // the duration, not the samples: no resampling
    return ReadWavScpEntry(entry, WavScpPath(), wav).DurationSeconds();
  }
  try {
    return ReadAudioInfo(entry.value).DurationSeconds();
  } catch (const Error& e) {
    throw Error(Where(WavScpPath(), entry.line) + " (" + entry.key + "): " + e.what());
  }
}

void KaldiDataDir::MeasureDurations() {
  ParallelFor(utts_.size(), opts_.threads,
              [&](size_t i) { utts_[i].duration_s = MeasureDuration(utts_[i]); });
  num_measured_ = utts_.size();
}

void KaldiDataDir::LoadDurations() {
  if (dir_.empty()) return MeasureDurations();
  const DurationCache cache(dir_);
  std::vector<std::string> ids;
  for (const Utterance& u : utts_) ids.push_back(u.id);
  std::vector<double> durations;
  if (cache.Load(ids, &durations)) {
    for (size_t i = 0; i < utts_.size(); ++i) utts_[i].duration_s = durations[i];
    num_measured_ = 0;
    return;
  }
  MeasureDurations();
  for (const Utterance& u : utts_) durations.push_back(u.duration_s);
  cache.Save(ids, durations);
}

void KaldiDataDir::Write(const std::string& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  Check(!ec && fs::is_directory(dir), dir + ": cannot create the directory");
  std::vector<std::string> wav, segments, text, utt2spk, spk2utt, utt2dur;
  std::map<std::string, std::vector<std::string>> speakers;
  bool all_durations = !utts_.empty();
  for (const Utterance& u : utts_) {  // already sorted by id
    speakers[u.speaker].push_back(u.id);
    if (has_segments_)
      segments.push_back(u.id + " " + u.recording + " " + FormatSeconds(u.start_s) + " " +
                         FormatSeconds(u.end_s));
    text.push_back(u.text.empty() ? u.id : u.id + " " + u.text);
    utt2spk.push_back(u.id + " " + u.speaker);
    utt2dur.push_back(u.id + " " + FormatSeconds(u.duration_s));
    all_durations = all_durations && u.duration_s >= 0;
  }
  // Every recording, including those no segment uses (sorted by id).
  for (const auto& r : recordings_) wav.push_back(r.first + " " + r.second.value);
  for (const auto& s : speakers) {
    std::string line = s.first;
    for (const std::string& id : s.second) line += " " + id;
    spk2utt.push_back(line);
  }
  // wav.scp and segments first: utt2dur must not be older than them.
  WriteLines(dir + "/wav.scp", wav);
  if (has_segments_)
    WriteLines(dir + "/segments", segments);
  else
    RemoveStale(dir + "/segments");
  if (has_text_)
    WriteLines(dir + "/text", text);
  else
    RemoveStale(dir + "/text");
  WriteLines(dir + "/utt2spk", utt2spk);
  WriteLines(dir + "/spk2utt", spk2utt);
  if (all_durations)
    WriteLines(dir + "/utt2dur", utt2dur);
  else
    RemoveStale(dir + "/utt2dur");
}

namespace {

// [start_s, end_s) of a whole waveform, with ReadAudioSegment's rules.
Waveform Slice(Waveform whole, double start_s, double end_s, double overshoot_s,
               const std::string& where) {
  const double duration = whole.DurationSeconds();
  Check(start_s < duration && end_s <= duration + overshoot_s,
        where + ": segment [" + FormatSeconds(start_s) + ", " + FormatSeconds(end_s) +
            ") s lies outside the recording of " + FormatSeconds(duration) + " s");
  const size_t first = static_cast<size_t>(std::llround(start_s * whole.sample_rate_hz));
  const size_t last = std::min(whole.samples.size(),
                               static_cast<size_t>(std::llround(end_s * whole.sample_rate_hz)));
  Check(first < last, where + ": the segment holds no sample");
  whole.samples.erase(whole.samples.begin() + last, whole.samples.end());
  whole.samples.erase(whole.samples.begin(), whole.samples.begin() + first);
  return whole;
}

}  // namespace

Waveform ReadUtteranceAudio(const Utterance& utt, const ScpEntry& entry,
                            const std::string& scp_path, const WavScpOptions& wav) {
  if (utt.end_s < 0 && utt.start_s <= 0) return ReadWavScpEntry(entry, scp_path, wav);
  const std::string where = "utterance '" + utt.id + "'";
  if (IsPipeEntry(entry.value))
    return Slice(ReadWavScpEntry(entry, scp_path, wav), utt.start_s, utt.end_s,
                 wav.audio.max_segment_overshoot_s, where);
  try {
    return ReadAudioSegment(entry.value, utt.start_s, utt.end_s, wav.audio);
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
}

Waveform ReadUtteranceAudio(const Utterance& utt, const WavScpOptions& wav) {
  return ReadUtteranceAudio(utt, ScpEntry{utt.recording, utt.audio, 0}, "wav.scp", wav);
}

Waveform KaldiDataDir::ReadAudio(const Utterance& utt, const AudioReadOptions& opts) const {
  return ReadUtteranceAudio(utt, EntryOf(utt), WavScpPath(),
                            WavScpOptions{opts_.allow_pipes, opts});
}

}  // namespace verbatim
