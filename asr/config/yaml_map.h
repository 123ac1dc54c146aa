// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Strict reading of YAML mappings (unknown keys and wrong types are errors
// naming the file and the key path). Private to asr/config (the only code
// that includes yaml-cpp); the rest of Verbatim uses asr/config/yaml_file.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "base/error.h"

namespace verbatim {

// Parses `path`; throws Error naming the file (and line and column).
YAML::Node LoadYamlFile(const std::string& path);
// The YAML text of `node`; throws Error naming `where` if it cannot be written.
std::string EmitYaml(const YAML::Node& node, const std::string& where);

template <typename T>
inline const char* TypeName() {
  if constexpr (std::is_same_v<T, bool>) return "true or false";
  if constexpr (std::is_integral_v<T>) return "an integer";
  if constexpr (std::is_floating_point_v<T>) return "a number";
  return "a string";
}

// One mapping of a file. Keys are read with Get/Map; CheckAllKeysUsed() then
// refuses the keys nobody asked for.
class YamlMap {
 public:
  YamlMap(const YAML::Node& node, const std::string& file, const std::string& path)
      : node_(node), file_(file), path_(path) {
    Check(node_.IsMap(), Where("") + "expected a mapping of keys to values");
  }

  // Sets *value from `key`; a missing key is an error when `required`, else *value stays.
  template <typename T>
  void Get(const std::string& key, T* value, bool required = true) {
    const YAML::Node child = Find(key, required);
    if (!child) return;
    Check(child.IsScalar(), Where(key) + "expected " + TypeName<T>());
    try {
      *value = child.as<T>();
    } catch (const YAML::BadConversion&) {
      throw Error(Where(key) + "expected " + TypeName<T>() + ", got '" + child.Scalar() + "'");
    }
  }

  // A string value passed to `set` (which throws Error for bad names).
  template <typename Set>
  void GetNamed(const std::string& key, const Set& set, bool required = true) {
    std::string name;
    if (!Find(key, required)) return;
    Get(key, &name);
    try {
      set(name);
    } catch (const Error& e) {
      throw Error(Where(key) + e.what());
    }
  }

  // A sequence of scalars.
  template <typename T>
  void GetList(const std::string& key, std::vector<T>* values, bool required = true) {
    const YAML::Node child = Find(key, required);
    if (!child) return;
    Check(child.IsSequence(), Where(key) + "expected a list of " + TypeName<T>());
    std::vector<T> out;
    for (const auto& item : child) {
      try {
        out.push_back(item.as<T>());
      } catch (const YAML::BadConversion&) {
        throw Error(Where(key) + "expected a list of " + TypeName<T>());
      }
    }
    *values = out;
  }

  YamlMap Map(const std::string& key) { return YamlMap(Find(key, true), file_, Join(key)); }
  bool Has(const std::string& key) const { return static_cast<bool>(node_[key]); }

  void CheckAllKeysUsed() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.Scalar();
      Check(used_.count(key) == 1, Where(key) + "unknown key");
    }
  }

 private:
  YAML::Node Find(const std::string& key, bool required) {
    const YAML::Node& node = node_;  // const access: operator[] must not insert the key
    YAML::Node child = node[key];
    Check(child || !required, file_ + ": missing key '" + Join(key) + "'");
    used_.insert(key);
    return child;
  }
  std::string Join(const std::string& key) const {
    return path_.empty() ? key : key.empty() ? path_ : path_ + "." + key;
  }
  std::string Where(const std::string& key) const {
    const std::string joined = Join(key);
    return file_ + ": " + (joined.empty() ? "" : joined + ": ");
  }

  YAML::Node node_;
  std::string file_;
  std::string path_;  // of this mapping in the file ("normalizer"), "" at the top
  std::set<std::string> used_;
};

}  // namespace verbatim
