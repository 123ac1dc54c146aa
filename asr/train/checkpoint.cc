// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <sys/stat.h>

#include <utility>
#include <vector>

#include "asr/util/checksum.h"
#include "frontend/atomic_file.h"
#include "frontend/error.h"

namespace verbatim {
namespace {

// The archive key of the weights' checksum: FNV-1a over every model tensor's
// name and bytes, in the model's own order. LibTorch's zip reader does not
// check the zip CRCs, so without it a flipped bit in a weight would load
// silently. Files written before it existed have no such key and load unchecked.
constexpr char kWeightsChecksumKey[] = "meta.weights_checksum";

void HashTensor(Fnv1a64& hash, const std::string& name, const torch::Tensor& value) {
  const torch::Tensor bytes = value.contiguous();
  hash.Update(name);
  hash.Update(bytes.data_ptr(), bytes.nbytes());
}

void WriteModel(torch::serialize::OutputArchive& archive, torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  Fnv1a64 hash;
  auto write = [&](const std::string& name, const torch::Tensor& tensor, bool is_buffer) {
    const torch::Tensor value = tensor.cpu();
    HashTensor(hash, name, value);
    archive.write("model." + name, value, is_buffer);
  };
  for (const auto& p : model.named_parameters()) write(p.key(), p.value(), false);
  for (const auto& b : model.named_buffers()) write(b.key(), b.value(), true);
  archive.write(kWeightsChecksumKey, c10::IValue(hash.ToString()));
}

// Checks every tensor (presence, shape, checksum) before the model changes:
// a damaged file leaves the model as it was.
void ReadModel(torch::serialize::InputArchive& archive, torch::nn::Module& model,
               const std::string& path) {
  torch::NoGradGuard no_grad;
  Fnv1a64 hash;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // (target, value)
  auto read = [&](const std::string& name, const torch::Tensor& target, bool is_buffer) {
    torch::Tensor value;
    if (!archive.try_read("model." + name, value, is_buffer))
      throw Error(path + ": no tensor for '" + name + "' (a checkpoint of another model?)");
    if (!value.sizes().equals(target.sizes()))
      throw Error(path + ": '" + name + "' has shape " + c10::str(value.sizes()) +
                  ", the model expects " + c10::str(target.sizes()));
    HashTensor(hash, name, value);
    copies.emplace_back(target, value);
  };
  for (const auto& p : model.named_parameters()) read(p.key(), p.value(), false);
  for (const auto& b : model.named_buffers()) read(b.key(), b.value(), true);
  c10::IValue expected;
  if (archive.try_read(kWeightsChecksumKey, expected) &&
      (!expected.isString() || expected.toStringRef() != hash.ToString()))
    throw Error(path + ": the weights do not match their checksum (the file is damaged)");
  for (auto& [target, value] : copies) target.copy_(value);
}

void SaveArchive(torch::serialize::OutputArchive& archive, const std::string& path) {
  AtomicOutputFile file(path);
  std::ostream& out = file.stream();
  // LibTorch's zip writer must not see a failed write (a full disk): it then
  // throws from its destructor, which ends the process (std::terminate).
  // Every byte is reported written; Commit() finds the failed stream and
  // throws Error("path: write failed (disk full?)"), removing the temp file.
  archive.save_to([&out](const void* data, size_t size) -> size_t {
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    return size;
  });
  file.Commit();
}

void LoadArchive(torch::serialize::InputArchive& archive, const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw Error(path + ": no such file");
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw Error(
        path + ": not a readable checkpoint (truncated or corrupt): " + e.what_without_backtrace());
  }
}

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
  WriteModel(archive, model);
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
  ReadModel(archive, model, path);
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

void SaveModelWeights(const std::string& path, torch::nn::Module& model) {
  torch::serialize::OutputArchive archive;
  WriteModel(archive, model);
  SaveArchive(archive, path);
}

void LoadModelWeights(const std::string& path, torch::nn::Module& model) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  ReadModel(archive, model, path);
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
