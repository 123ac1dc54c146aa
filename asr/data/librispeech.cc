// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/librispeech.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/error.h"

namespace verbatim {
namespace fs = std::filesystem;
namespace {

const char kTransSuffix[] = ".trans.txt";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Sub-folders (or files) of `dir`, sorted by name.
std::vector<fs::path> SortedEntries(const fs::path& dir, bool folders) {
  std::vector<fs::path> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(dir))
    if (e.is_directory() == folders) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

struct Audio {
  std::string path;
  std::string speaker;  // <spk>-<chapter>, from the folders
};

struct Transcript {
  std::string text;
  std::string where;  // "<file>: line N"
};

// One chapter folder: its FLAC files and transcript lines, by utterance id.
void ReadChapter(const fs::path& dir, const std::string& speaker,
                 std::map<std::string, Audio>* audio, std::map<std::string, Transcript>* texts) {
  const std::string prefix = speaker + "-";
  for (const fs::path& file : SortedEntries(dir, false)) {
    const std::string name = file.filename().string();
    if (EndsWith(name, ".flac")) {
      const std::string id = file.stem().string();
      Check(id.rfind(prefix, 0) == 0 && id.size() > prefix.size(),
            file.string() + ": name does not fit its folder (expected " + prefix + "NNNN.flac)");
      Check(audio->emplace(id, Audio{file.string(), speaker}).second,
            file.string() + ": utterance id '" + id + "' appears twice");
    } else if (EndsWith(name, kTransSuffix)) {
      std::ifstream in(file);
      Check(static_cast<bool>(in), file.string() + ": cannot open");
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string where = file.string() + ": line " + std::to_string(number);
        const size_t space = line.find(' ');
        const std::string id = line.substr(0, space);
        Check(space != std::string::npos && space + 1 < line.size() && id.rfind(prefix, 0) == 0,
              where + ": expected '" + prefix + "NNNN TRANSCRIPT', got '" + line + "'");
        Check(texts->emplace(id, Transcript{line.substr(space + 1), where}).second,
              where + ": utterance id '" + id + "' appears twice");
      }
    }
  }
}

}  // namespace

LibriSpeech::LibriSpeech(const std::string& root, const LibriSpeechOptions& opts) : opts_(opts) {
  fs::path path = fs::absolute(root).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // trailing '/'
  root_ = path.string();
}

std::vector<std::string> LibriSpeech::AvailableSubsets() const {
  Check(fs::is_directory(root_), root_ + ": no such directory (the LibriSpeech root)");
  std::vector<std::string> names;
  for (const fs::path& p : SortedEntries(root_, true)) names.push_back(p.filename().string());
  return names;
}

std::string LibriSpeech::DataDirName(const std::string& subset) {
  std::string name = subset;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

void LibriSpeech::CheckSubset(const std::string& subset) const {
  const std::vector<std::string> available = AvailableSubsets();
  if (subset.find('/') == std::string::npos &&
      std::count(available.begin(), available.end(), subset))
    return;
  std::string found;
  for (const std::string& name : available) found += (found.empty() ? "" : ", ") + name;
  throw Error(root_ + ": no LibriSpeech subset '" + subset +
              "' here (found: " + (found.empty() ? "nothing" : found) + ")");
}

LibriSpeechSubset LibriSpeech::ReadSubset(const std::string& subset) const {
  CheckSubset(subset);
  std::map<std::string, Audio> audio;
  std::map<std::string, Transcript> texts;
  for (const fs::path& spk : SortedEntries(fs::path(root_) / subset, true))
    for (const fs::path& chapter : SortedEntries(spk, true))
      ReadChapter(chapter, spk.filename().string() + "-" + chapter.filename().string(), &audio,
                  &texts);

  LibriSpeechSubset result;
  result.name = subset;
  std::vector<Utterance> utts;
  for (const auto& a : audio) {
    auto t = texts.find(a.first);
    if (t == texts.end()) {
      result.audio_without_text.push_back(a.second.path);
      continue;
    }
    Utterance u;
    u.id = u.recording = a.first;
    u.speaker = a.second.speaker;
    u.text = t->second.text;
    u.audio = a.second.path;
    utts.push_back(std::move(u));
  }
  for (const auto& t : texts)
    if (!audio.count(t.first)) result.text_without_audio.push_back(t.second.where + ": " + t.first);
  Check(!utts.empty(), root_ + "/" + subset + ": no utterance with both audio and transcript");
  DataDirOptions data_opts;
  data_opts.threads = opts_.threads;
  result.data = KaldiDataDir(std::move(utts), data_opts);
  result.data.MeasureDurations();
  return result;
}

}  // namespace verbatim
