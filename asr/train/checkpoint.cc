// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <sys/stat.h>

#include <utility>
#include <vector>

#include "asr/model/model_weights.h"
#include "base/error.h"

namespace verbatim {
namespace {

int64_t ReadInt(torch::serialize::InputArchive& archive, const std::string& key,
                const std::string& path) {
  torch::Tensor t;
  if (!archive.try_read(key, t)) throw Error(path + ": checkpoint has no '" + key + "'");
  return t.item<int64_t>();
}

}  // namespace

void SaveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer& optimizer, const CheckpointState& state) {
  torch::serialize::OutputArchive archive;
  WriteModelTensors(archive, model);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("meta.epoch", torch::tensor(state.epoch));
  archive.write("meta.batch", torch::tensor(state.batch));
  archive.write("meta.step", torch::tensor(state.step));
  archive.write("meta.valid_loss", torch::tensor(state.valid_loss, torch::kFloat64));
  archive.write("meta.config", c10::IValue(state.config));
  auto generator = at::detail::getDefaultCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("meta.rng", generator.get_state());
  }
  SaveArchive(archive, path);
}

CheckpointState LoadCheckpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  ReadModelTensors(archive, model, path);
  torch::serialize::InputArchive optimizer_archive;
  if (!archive.try_read("optimizer", optimizer_archive))
    throw Error(path + ": checkpoint has no optimizer state");
  optimizer.load(optimizer_archive);
  CheckpointState state;
  state.epoch = ReadInt(archive, "meta.epoch", path);
  state.batch = ReadInt(archive, "meta.batch", path);
  state.step = ReadInt(archive, "meta.step", path);
  torch::Tensor valid;
  if (archive.try_read("meta.valid_loss", valid)) state.valid_loss = valid.item<double>();
  c10::IValue config;
  if (archive.try_read("meta.config", config) && config.isString())
    state.config = config.toStringRef();
  torch::Tensor rng;
  if (!archive.try_read("meta.rng", rng)) throw Error(path + ": checkpoint has no RNG state");
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(rng);
  return state;
}

void AverageCheckpoints(const std::vector<std::string>& paths, torch::nn::Module& model) {
  Check(!paths.empty(), "averaging needs at least one checkpoint");
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> sums;
  for (const std::string& path : paths) {
    LoadModelWeights(path, model);
    size_t i = 0;
    for (const auto& p : model.named_parameters()) {
      if (sums.size() <= i) sums.push_back(torch::zeros_like(p.value(), torch::kFloat64));
      sums[i++] += p.value().to(torch::kFloat64);
    }
  }
  size_t i = 0;
  for (auto& p : model.named_parameters())
    p.value().copy_(sums[i++] / static_cast<double>(paths.size()));
}

}  // namespace verbatim
