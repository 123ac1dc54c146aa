// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/yaml_map.h"

#include "frontend/atomic_file.h"

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

// Writes `node` after a "# comment" line.
void SaveYamlFile(const std::string& path, const YAML::Node& node, const std::string& comment) {
  YAML::Emitter emitter;
  emitter << node;
  Check(emitter.good(), path + ": cannot write YAML: " + emitter.GetLastError());
  AtomicOutputFile out(path);
  out.stream() << "# " << comment << "\n" << emitter.c_str() << "\n";
  out.Commit();
}

}  // namespace verbatim
