// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/train_config.h"

#include <cmath>

#include "asr/config/yaml_file.h"

namespace verbatim {
namespace {

// The training section: the trainer's options and the data loader's threads.
OptionFields TrainingFields(TrainConfig* c) {
  return [c](OptionRegistry* r) {
    c->trainer.Register(r);
    r->Register("num_workers", &c->data.num_threads, "data-loading threads");
    r->Register("prefetch", &c->data.prefetch, "batches prepared ahead of training");
  };
}

OptionFields AugmentationFields(TrainConfig* c) {
  return [c](OptionRegistry* r) { c->data.RegisterAugmentation(r); };
}

// Every section, in file order, for the reader and the writer alike.
template <typename File>
void VisitSections(File& file, TrainConfig* c) {
  file("model", FieldsOf(&c->model));
  file("features", FieldsOf(&c->data.fbank));
  file("cmvn", FieldsOf(&c->data.cmvn_options));
  file("augmentation", AugmentationFields(c));
  file("batching", FieldsOf(&c->batching));
  file("training", TrainingFields(c));
  file("guided_attention", FieldsOf(&c->trainer.guided));
  file("scheduled_sampling", FieldsOf(&c->trainer.sampling));
  file("init", FieldsOf(&c->init));
}

YamlFileWriter ToYaml(const TrainConfig& config) {
  TrainConfig c = config;
  YamlFileWriter file;
  auto write = [&file](const char* section, const OptionFields& fields) {
    file.Write(section, fields);
  };
  VisitSections(write, &c);
  return file;
}

}  // namespace

void TrainConfig::Resolve(int vocab_size) {
  model.vocab_size = vocab_size;
  model.input_dim = data.fbank.Dim();
  batching.frame_shift_ms = data.fbank.frame.frame_shift_ms;
  batching.frame_length_ms = data.fbank.frame.frame_length_ms;
  batching.seed = trainer.seed;
  data.seed = trainer.seed;
  data.Resolve();
  model.Validate();
  trainer.Validate();
  data.fbank.frame.Validate();
}

BatchSamplerOptions TrainConfig::DevBatching() const {
  BatchSamplerOptions b = batching;
  b.shuffle = false;
  b.length_jitter = 0.0;
  return b;
}

TrainConfig ReadTrainConfig(const std::string& path, const TrainConfig& base) {
  TrainConfig c = base;
  YamlFileReader file(path);
  auto read = [&file](const char* section, const OptionFields& fields) {
    file.Read(section, fields);
  };
  VisitSections(read, &c);
  file.CheckAllKeysUsed();
  return c;
}

FbankOptions ReadFeaturesConfig(const std::string& path, const FbankOptions& base) {
  FbankOptions fbank = base;
  YamlFileReader(path).Read("features", &fbank);
  return fbank;
}

std::string TrainConfigToYaml(const TrainConfig& config) { return ToYaml(config).ToString(); }

void WriteTrainConfig(const std::string& path, const TrainConfig& config) {
  ToYaml(config).Save(path, "Verbatim training configuration (resolved: defaults < file < flags)");
}

}  // namespace verbatim
