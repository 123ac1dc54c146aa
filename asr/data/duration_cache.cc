// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/data/duration_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/atomic_file.h"
#include "base/error.h"

namespace verbatim {
namespace fs = std::filesystem;

DurationCache::DurationCache(std::string dir) : dir_(std::move(dir)), path_(dir_ + "/utt2dur") {}

bool DurationCache::IsFresh() const {
  std::error_code ec;
  const fs::file_time_type cached = fs::last_write_time(path_, ec);
  if (ec) return false;
  for (const char* source : {"wav.scp", "segments"}) {
    const fs::file_time_type t = fs::last_write_time(dir_ + "/" + source, ec);
    if (!ec && t > cached) return false;  // a missing segments file is fine
  }
  return true;
}

bool DurationCache::Load(const std::vector<std::string>& ids,
                         std::vector<double>* durations_s) const {
  if (!IsFresh()) return false;
  std::ifstream in(path_);
  std::map<std::string, double> cached;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, extra;
    double seconds = 0.0;
    if (!(fields >> id)) continue;  // blank line
    if (!(fields >> seconds) || (fields >> extra) || !std::isfinite(seconds) || seconds < 0)
      return false;
    if (!cached.emplace(id, seconds).second) return false;
  }
  if (cached.size() != ids.size()) return false;
  durations_s->assign(ids.size(), 0.0);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = cached.find(ids[i]);
    if (it == cached.end()) return false;
    (*durations_s)[i] = it->second;
  }
  return true;
}

bool DurationCache::Save(const std::vector<std::string>& ids,
                         const std::vector<double>& durations_s) const {
  Check(ids.size() == durations_s.size(), path_ + ": " + std::to_string(ids.size()) + " ids but " +
                                              std::to_string(durations_s.size()) + " durations");
  if (::access(dir_.c_str(), W_OK) != 0) return false;
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  AtomicOutputFile out(path_);
  char seconds[32];
  for (size_t i : order) {
    Check(durations_s[i] >= 0, path_ + ": unknown duration for '" + ids[i] + "'");
    std::snprintf(seconds, sizeof(seconds), "%.10g", durations_s[i]);
    out.stream() << ids[i] << ' ' << seconds << '\n';
  }
  out.Commit();
  return true;
}

}  // namespace verbatim
