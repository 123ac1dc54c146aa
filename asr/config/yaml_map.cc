// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/yaml_map.h"

namespace verbatim {

YAML::Node LoadYamlFile(const std::string& path) {
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw Error(path + ": cannot open");
  } catch (const YAML::ParserException& e) {
    throw Error(path + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

std::string EmitYaml(const YAML::Node& node, const std::string& where) {
  YAML::Emitter emitter;
  emitter << node;
  Check(emitter.good(), where + ": cannot write YAML: " + emitter.GetLastError());
  return emitter.c_str();
}

}  // namespace verbatim
