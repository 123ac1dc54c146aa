// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes our readers of a model directory (asr/model/model_dir.h): model.yaml
// (ReadModelConfig), tokenizer/tokenizer.yaml (ReadTokenizerMetadata) and
// cmvn.txt (CmvnStats::Load). The input holds the three files separated by
// form feeds ('\f'). model.pt is LibTorch's own format (torch::load), not
// fuzzed here: the tools tests feed `verbatim transcribe` truncated and
// mismatched weights instead. Anything but a verbatim::Error is a finding;
// what reads must also write and read back unchanged.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "asr/model/model_config.h"
#include "asr/text/tokenizer_metadata.h"
#include "base/error.h"
#include "frontend/cmvn.h"
#include "fuzz/fuzz_util.h"

namespace {

[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "model_dir_fuzzer: %s\n", what.c_str());
  std::abort();
}

// Each reader: the first read may throw Error (the input is bad); after it,
// writing and reading back must not.
void ModelYaml(const std::string& path, const std::string& copy) {
  verbatim::ModelConfig config;
  try {
    config = verbatim::ReadModelConfig(path);
  } catch (const verbatim::Error&) {
    return;
  }
  verbatim::WriteModelConfig(copy, config);
  const verbatim::ModelConfig again = verbatim::ReadModelConfig(copy);
  verbatim::WriteModelConfig(path, again);
  if (verbatim::fuzz::ReadFile(path) != verbatim::fuzz::ReadFile(copy))
    Finding("model.yaml reads back changed");
}

void TokenizerYaml(const std::string& path, const std::string& copy) {
  verbatim::TokenizerMetadata metadata;
  try {
    metadata = verbatim::ReadTokenizerMetadata(path);
  } catch (const verbatim::Error&) {
    return;
  }
  verbatim::WriteTokenizerMetadata(copy, metadata);
  const verbatim::TokenizerMetadata again = verbatim::ReadTokenizerMetadata(copy);
  verbatim::WriteTokenizerMetadata(path, again);
  if (verbatim::fuzz::ReadFile(path) != verbatim::fuzz::ReadFile(copy))
    Finding("tokenizer.yaml reads back changed");
}

void CmvnTxt(const std::string& path, const std::string& copy) {
  verbatim::CmvnStats stats;
  try {
    stats = verbatim::CmvnStats::Load(path);
  } catch (const verbatim::Error&) {
    return;
  }
  if (stats.dim() < 1 || !(stats.count() > 0)) Finding("CMVN statistics without frames loaded");
  stats.Save(copy);
  const verbatim::CmvnStats again = verbatim::CmvnStats::Load(copy);
  if (again.dim() != stats.dim() || again.count() != stats.count() || again.sum() != stats.sum() ||
      again.sum_sq() != stats.sum_sq())
    Finding("cmvn.txt reads back changed");
  // Statistics that load must normalize features to finite values: NaN or
  // infinite statistics would silently turn every transcript into garbage.
  verbatim::FeatureMatrix frame(1, stats.dim(), 0.0f);
  verbatim::Cmvn(stats).Apply(&frame);
  for (float v : frame.data)
    if (!std::isfinite(v)) Finding("cmvn.txt loads, but normalizes features to non-finite values");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string dir = verbatim::fuzz::ScratchDir();
  const std::vector<std::string> sections = verbatim::fuzz::SplitSections(data, size, '\f');
  const char* const names[] = {"model.yaml", "tokenizer.yaml", "cmvn.txt"};
  void (*const readers[])(const std::string&, const std::string&) = {ModelYaml, TokenizerYaml,
                                                                     CmvnTxt};
  for (size_t i = 0; i < sections.size() && i < 3; ++i) {
    const std::string path = dir + "/" + names[i], copy = dir + "/copy." + names[i];
    verbatim::fuzz::WriteFile(path, sections[i]);
    try {
      readers[i](path, copy);
    } catch (const verbatim::Error& e) {
      Finding(std::string(names[i]) + " reads, but not once written back: " + e.what());
    }
  }
  return 0;
}
