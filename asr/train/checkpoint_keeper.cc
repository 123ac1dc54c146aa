// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/checkpoint_keeper.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

CheckpointKeeper::CheckpointKeeper(std::string dir, const CheckpointKeeperOptions& opts)
    : dir_(std::move(dir)), opts_(opts) {
  Check(opts.best_metric == "loss" || opts.best_metric == "accuracy" || opts.best_metric == "wer",
        "checkpoints: best_metric must be loss, accuracy or wer, got '" + opts.best_metric + "'");
}

std::string CheckpointKeeper::Latest() const {
  std::ifstream in(dir_ + "/latest");
  std::string name;
  if (!(in >> name)) return "";
  return Path(name);
}

int CheckpointKeeper::RemoveStaleTemporaries() const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) return 0;
  static const std::regex kTemporary(R"(.+\.tmp\.([0-9]{1,9}))");
  int removed = 0;
  for (const auto& entry : fs::directory_iterator(dir_, error)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, match, kTemporary)) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(match[1]));
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // its writer may still run
    if (fs::remove(entry.path(), error)) ++removed;
  }
  return removed;
}

std::vector<std::string> CheckpointKeeper::Best() const { return ReadLines(dir_ + "/best"); }

std::vector<EpochScore> CheckpointKeeper::Scores() const {
  std::vector<EpochScore> scores;
  const std::string path = dir_ + "/scores";
  for (const std::string& line : ReadLines(path)) {
    std::istringstream in(line);
    EpochScore s;
    Check(static_cast<bool>(in >> s.name >> s.epoch >> s.loss >> s.accuracy >> s.wer),
          path + ": malformed line '" + line + "'");
    scores.push_back(s);
  }
  return scores;
}

bool CheckpointKeeper::Better(const EpochScore& a, const EpochScore& b) const {
  // Ties go to the later epoch (trained longer).
  if (opts_.best_metric == "accuracy" && a.accuracy != b.accuracy) return a.accuracy > b.accuracy;
  if (opts_.best_metric == "wer" && a.wer != b.wer) return a.wer < b.wer;
  if (opts_.best_metric == "loss" && a.loss != b.loss) return a.loss < b.loss;
  return a.epoch > b.epoch;
}

void CheckpointKeeper::WriteLines(const std::string& file,
                                  const std::vector<std::string>& lines) const {
  AtomicOutputFile out(Path(file));
  for (const std::string& line : lines) out.stream() << line << "\n";
  out.Commit();
}

void CheckpointKeeper::Committed(const std::string& name, bool epoch_end, const EpochScore* score) {
  const std::string previous = Latest();
  WriteLines("latest", {name});
  // A mid-epoch checkpoint is only a resume point: drop the one it replaces.
  if (!previous.empty() && previous != Path(name) &&
      fs::path(previous).filename().string().rfind("step-", 0) == 0)
    fs::remove(previous);
  if (!epoch_end) return;

  std::vector<EpochScore> scores = Scores();
  if (score != nullptr) {
    scores.erase(std::remove_if(scores.begin(), scores.end(),
                                [&](const EpochScore& s) { return s.name == score->name; }),
                 scores.end());
    scores.push_back(*score);
    std::vector<std::string> lines;
    for (const EpochScore& s : scores) {
      char buf[256];
      std::snprintf(buf, sizeof(buf), "%s %lld %.9g %.9g %.9g", s.name.c_str(),
                    static_cast<long long>(s.epoch), s.loss, s.accuracy, s.wer);
      lines.push_back(buf);
    }
    WriteLines("scores", lines);
  }
  std::vector<EpochScore> ranked;
  for (const EpochScore& s : scores)
    if (fs::exists(Path(s.name)) && (opts_.best_metric != "wer" || s.wer >= 0)) ranked.push_back(s);
  std::sort(ranked.begin(), ranked.end(),
            [this](const EpochScore& a, const EpochScore& b) { return Better(a, b); });
  std::vector<std::string> best;
  for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < opts_.keep_best; ++i)
    best.push_back(ranked[i].name);
  WriteLines("best", best);
  Prune(best);
}

void CheckpointKeeper::Prune(const std::vector<std::string>& best) const {
  if (opts_.keep_last <= 0) return;
  std::vector<std::pair<int64_t, std::string>> epochs;
  const std::regex pattern("epoch-([0-9]+)\\.pt");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    std::smatch m;
    const std::string file = entry.path().filename().string();
    if (std::regex_match(file, m, pattern)) epochs.emplace_back(std::stoll(m[1]), file);
  }
  std::sort(epochs.rbegin(), epochs.rend());  // newest first
  const std::set<std::string> keep_best(best.begin(), best.end());
  for (size_t i = static_cast<size_t>(opts_.keep_last); i < epochs.size(); ++i)
    if (keep_best.count(epochs[i].second) == 0) fs::remove(Path(epochs[i].second));
}

}  // namespace verbatim
