// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/experiment_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "asr/model/model_dir.h"
#include "asr/train/checkpoint.h"
#include "base/error.h"

namespace verbatim {

namespace fs = std::filesystem;

ExperimentDir::ExperimentDir(std::string path) : path_(std::move(path)) {
  Check(fs::is_directory(path_), path_ + ": no such experiment directory");
  Check(fs::is_directory(CheckpointDir()),
        path_ + ": not an experiment directory of verbatim train (no checkpoints/)");
}

std::vector<std::string> ExperimentDir::EpochCheckpoints() const {
  std::vector<std::pair<long long, std::string>> found;
  const std::regex pattern("epoch-([0-9]+)\\.pt");
  for (const auto& entry : fs::directory_iterator(CheckpointDir())) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, m, pattern)) found.emplace_back(std::stoll(m[1]), entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  for (auto& f : found) paths.push_back(f.second);
  return paths;
}

std::vector<std::string> ExperimentDir::LastCheckpoints(int n) const {
  Check(n >= 1, "the number of checkpoints to average must be at least 1");
  std::vector<std::string> paths = EpochCheckpoints();
  Check(!paths.empty(), CheckpointDir() + ": no epoch checkpoint (epoch-N.pt)");
  if (static_cast<int>(paths.size()) > n) paths.erase(paths.begin(), paths.end() - n);
  return paths;
}

std::vector<std::string> ExperimentDir::BestCheckpoints(int n) const {
  Check(n >= 1, "the number of checkpoints to average must be at least 1");
  const std::string list = CheckpointDir() + "/best";
  std::ifstream in(list);
  Check(in.is_open(), list +
                          ": no list of best checkpoints (the training run kept none); average "
                          "the last ones with --last N");
  std::vector<std::string> paths;
  std::string line;
  for (int number = 1; std::getline(in, line) && static_cast<int>(paths.size()) < n; ++number) {
    const size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;
    std::string path = line.substr(b, e - b + 1);
    if (fs::path(path).is_relative() &&
        (fs::exists(CheckpointDir() + "/" + path) || !fs::exists(path)))
      path = CheckpointDir() + "/" + path;
    Check(fs::exists(path), list + ":" + std::to_string(number) + ": checkpoint " + path +
                                " does not exist (removed?)");
    paths.push_back(path);
  }
  Check(!paths.empty(), list + ": lists no checkpoint");
  return paths;
}

std::string ExperimentDir::LatestCheckpoint() const {
  const std::string latest = CheckpointDir() + "/latest";
  std::ifstream in(latest);
  std::string name;
  Check(static_cast<bool>(in >> name), latest + ": missing or empty (no checkpoint saved yet?)");
  const std::string path = fs::path(name).is_absolute() ? name : CheckpointDir() + "/" + name;
  Check(fs::exists(path), latest + ": names " + path + ", which does not exist");
  return path;
}

TrainConfig ExperimentDir::Config() const {
  const TrainConfig defaults;  // a named base: GCC 12 misreads the temporary default argument
  return ReadTrainConfig(path_ + "/config.yaml", defaults);
}

std::string ExperimentDir::TokenizerDir(const std::string& flag) const {
  if (!flag.empty()) return flag;
  for (const std::string& dir : {path_ + "/tokenizer", path_ + "/model/tokenizer"})
    if (fs::is_directory(dir)) return dir;
  throw Error(path_ + ": no tokenizer/ nor model/tokenizer/; give the training tokenizer with " +
              "--tokenizer");
}

std::string ExperimentDir::CmvnPath(const std::string& flag) const {
  if (!flag.empty()) return flag;
  for (const std::string& file : {path_ + "/cmvn.txt", path_ + "/model/cmvn.txt"})
    if (fs::exists(file)) return file;
  return "";
}

void ExportAveragedModel(AsrModel& model, const TrainConfig& config,
                         const std::vector<std::string>& checkpoints,
                         const std::string& tokenizer_dir, const std::string& cmvn_path,
                         const std::string& out) {
  if (!checkpoints.empty()) AverageCheckpoints(checkpoints, *model);
  ExportModelDir(out, config.ToModelConfig(), model, tokenizer_dir, cmvn_path);
}

}  // namespace verbatim
