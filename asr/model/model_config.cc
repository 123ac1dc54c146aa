// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/model_config.h"

#include "asr/config/yaml_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

constexpr int kFormatVersion = 2;

}  // namespace

void WriteModelConfig(const std::string& path, const ModelConfig& config) {
  int version = kFormatVersion;
  YamlFileWriter file;
  file.Write("", [&version](OptionRegistry* r) {
    r->Register("format_version", &version, "version of this file's layout");
  });
  file.Write("model", config.model);
  file.Write("features", config.fbank);
  file.Write("cmvn", config.cmvn);
  file.Save(path, "Verbatim model: network sizes and the features it expects");
}

ModelConfig ReadModelConfig(const std::string& path) {
  using Keys = YamlFileReader::Keys;
  YamlFileReader file(path);
  int version = 0;
  file.Read(
      "",
      [&version](OptionRegistry* r) {
        r->Register("format_version", &version, "version of this file's layout");
      },
      Keys::kRequired);
  Check(version == 1 || version == kFormatVersion,
        path + ": format_version " + std::to_string(version) + " is not supported");
  if (version == 1) {
    file.RenameKey("features", "frame_length_ms", "frame_length");
    file.RenameKey("features", "frame_shift_ms", "frame_shift");
  }
  ModelConfig c;
  file.Read("model", &c.model, Keys::kRequired);
  // Version 1 had no key for four fbank options (dither_seed, blackman_coeff,
  // raw_energy, htk_compat): they keep their defaults, which it used.
  Check(file.Has("features"), path + ": missing key 'features'");
  file.Read("features", &c.fbank, version == 1 ? Keys::kOptional : Keys::kRequired);
  file.Read("cmvn", &c.cmvn, Keys::kRequired);
  file.CheckAllKeysUsed();
  return c;
}

}  // namespace verbatim
