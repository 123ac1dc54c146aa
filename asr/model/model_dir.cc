// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/model_dir.h"

#include <unistd.h>

#include <filesystem>

#include "asr/model/model_weights.h"
#include "base/error.h"

namespace verbatim {

namespace fs = std::filesystem;

void ModelLoadOptions::Validate() const {
  Check(!int8 || device == "cpu",
        "INT8 inference runs on the CPU only, not on device '" + device + "'");
}

LoadedModel LoadModelDir(const std::string& dir, const std::string& device) {
  ModelLoadOptions opts;
  opts.device = device;
  return LoadModelDir(dir, opts);
}

LoadedModel LoadModelDir(const std::string& dir, const ModelLoadOptions& opts) {
  opts.Validate();
  Check(fs::is_directory(dir), dir + ": not a model directory (no such directory)");
  for (const char* name : {"model.yaml", "model.pt", "tokenizer"})
    Check(fs::exists(dir + "/" + name), dir + ": not a model directory (no " + name + ")");
  const ModelConfig config = ReadModelConfig(dir + "/model.yaml");
  Tokenizer tokenizer = Tokenizer::Load(dir + "/tokenizer");
  Check(tokenizer.vocab_size() == config.model.vocab_size,
        dir + ": the tokenizer has " + std::to_string(tokenizer.vocab_size()) +
            " tokens, the model " + std::to_string(config.model.vocab_size));
  Check(config.model.input_dim == config.fbank.Dim(),
        dir + "/model.yaml: model.input_dim " + std::to_string(config.model.input_dim) +
            " does not match the features' dimension " + std::to_string(config.fbank.Dim()));
  std::optional<CmvnStats> cmvn;
  if (fs::exists(dir + "/cmvn.txt")) {
    cmvn = CmvnStats::Load(dir + "/cmvn.txt");
    Check(cmvn->dim() == config.fbank.Dim(), dir + "/cmvn.txt: dimension " +
                                                 std::to_string(cmvn->dim()) + ", features have " +
                                                 std::to_string(config.fbank.Dim()));
  }
  AsrModel model(config.model);
  LoadModelWeights(dir + "/model.pt", *model);
  model->to(torch::Device(opts.device));
  model->eval();
  if (opts.int8) model->QuantizeInt8(opts.int8_options);
  return LoadedModel{config, model, std::move(tokenizer), std::move(cmvn)};
}

void ExportModelDir(const std::string& dir, const ModelConfig& config, AsrModel& model,
                    const std::string& tokenizer_dir, const std::string& cmvn_path) {
  const std::string tmp = dir + ".tmp-" + std::to_string(getpid());
  fs::remove_all(tmp);
  try {
    fs::create_directories(tmp + "/tokenizer");
    WriteModelConfig(tmp + "/model.yaml", config);
    SaveModelWeights(tmp + "/model.pt", *model);
    for (const char* name : {"tokenizer.model", "tokenizer.yaml"}) {
      const std::string source = tokenizer_dir + "/" + name;
      Check(fs::is_regular_file(source), source +
                                             ": no such file (a tokenizer directory holds "
                                             "tokenizer.model and tokenizer.yaml)");
      fs::copy_file(source, tmp + "/tokenizer/" + name);
    }
    if (!cmvn_path.empty()) fs::copy_file(cmvn_path, tmp + "/cmvn.txt");
    LoadModelDir(tmp);  // proves the directory loads before it replaces anything
  } catch (...) {
    std::error_code ignored;  // the first error is the one to report
    fs::remove_all(tmp, ignored);
    throw;
  }
  const std::string old = dir + ".old-" + std::to_string(getpid());
  if (fs::exists(dir)) fs::rename(dir, old);
  fs::rename(tmp, dir);
  fs::remove_all(old);
}

}  // namespace verbatim
