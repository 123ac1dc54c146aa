// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the YAML configuration readers (asr/config/ underneath): the training
// configuration (ReadTrainConfig) and the text normalizer options, with
// arbitrary bytes as the file. Anything but a verbatim::Error is a finding
// (yaml-cpp's own exceptions included: the readers promise errors naming the
// file). A configuration that reads must also write and read back unchanged,
// since the resolved configuration of every run is written beside it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "asr/text/text_normalizer.h"
#include "asr/train/train_config.h"
#include "base/error.h"
#include "fuzz/fuzz_util.h"

namespace {

[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "train_config_fuzzer: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string dir = verbatim::fuzz::ScratchDir();
  const std::string path = dir + "/train.yaml", copy = dir + "/copy.yaml";
  verbatim::fuzz::WriteFile(path, std::string(reinterpret_cast<const char*>(data), size));
  // What reads must write and read back unchanged: an Error there is a finding.
  std::optional<verbatim::TrainConfig> config;
  try {
    config = verbatim::ReadTrainConfig(path);
  } catch (const verbatim::Error&) {
  }
  if (config) {
    try {
      const std::string yaml = verbatim::TrainConfigToYaml(*config);
      verbatim::WriteTrainConfig(copy, *config);
      if (verbatim::TrainConfigToYaml(verbatim::ReadTrainConfig(copy)) != yaml)
        Finding("the written configuration reads back changed:\n" + yaml);
    } catch (const verbatim::Error& e) {
      Finding(std::string("the written configuration does not read back: ") + e.what());
    }
  }
  std::optional<verbatim::TextNormalizerOptions> opts;
  try {
    opts = verbatim::ReadTextNormalizerOptions(path);
  } catch (const verbatim::Error&) {
  }
  if (opts) {
    try {
      verbatim::WriteTextNormalizerOptions(copy, *opts);
      verbatim::ReadTextNormalizerOptions(copy);
    } catch (const verbatim::Error& e) {
      Finding(std::string("the written normalizer options do not read back: ") + e.what());
    }
  }
  return 0;
}
