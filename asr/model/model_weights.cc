// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/model_weights.h"

#include <sys/stat.h>

#include <utility>
#include <vector>

#include "asr/util/checksum.h"
#include "base/atomic_file.h"
#include "base/error.h"

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

}  // namespace

void WriteModelTensors(torch::serialize::OutputArchive& archive, torch::nn::Module& model) {
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

void ReadModelTensors(torch::serialize::InputArchive& archive, torch::nn::Module& model,
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

void SaveModelWeights(const std::string& path, torch::nn::Module& model) {
  torch::serialize::OutputArchive archive;
  WriteModelTensors(archive, model);
  SaveArchive(archive, path);
}

void LoadModelWeights(const std::string& path, torch::nn::Module& model) {
  torch::serialize::InputArchive archive;
  LoadArchive(archive, path);
  ReadModelTensors(archive, model, path);
}

}  // namespace verbatim
