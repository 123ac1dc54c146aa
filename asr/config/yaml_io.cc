// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/yaml_io.h"

#include <yaml-cpp/yaml.h>

#include <set>
#include <type_traits>

#include "asr/text/text_normalizer.h"
#include "asr/text/tokenizer.h"
#include "frontend/atomic_file.h"
#include "frontend/error.h"

namespace verbatim {
namespace {

// ---- Generic part: files, and strict reading of mappings. -------------------

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

template <typename T>
const char* TypeName() {
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

  // A string value turned into a type by `parse` (which throws Error for bad names).
  template <typename T, typename Parse>
  void GetNamed(const std::string& key, T* value, Parse parse, bool required = true) {
    std::string name;
    if (!Find(key, required)) return;
    Get(key, &name);
    try {
      *value = parse(name);
    } catch (const Error& e) {
      throw Error(Where(key) + e.what());
    }
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

// ---- Conversions, one pair per struct. -------------------------------------

YAML::Node ToYaml(const TextNormalizerOptions& opts) {
  YAML::Node node;
  node["case"] = LetterCaseName(opts.letter_case);
  node["drop_tags"] = opts.drop_tags;
  node["remove_punctuation"] = opts.remove_punctuation;
  node["keep_apostrophes"] = opts.keep_apostrophes;
  node["keep_digits"] = opts.keep_digits;
  node["keep_non_ascii_letters"] = opts.keep_non_ascii_letters;
  node["collapse_whitespace"] = opts.collapse_whitespace;
  return node;
}

TextNormalizerOptions NormalizerFromYaml(YamlMap map, bool required) {
  TextNormalizerOptions opts;
  map.GetNamed("case", &opts.letter_case, ParseLetterCase, required);
  map.Get("drop_tags", &opts.drop_tags, required);
  map.Get("remove_punctuation", &opts.remove_punctuation, required);
  map.Get("keep_apostrophes", &opts.keep_apostrophes, required);
  map.Get("keep_digits", &opts.keep_digits, required);
  map.Get("keep_non_ascii_letters", &opts.keep_non_ascii_letters, required);
  map.Get("collapse_whitespace", &opts.collapse_whitespace, required);
  map.CheckAllKeysUsed();
  return opts;
}

constexpr int kTokenizerFormatVersion = 1;

}  // namespace

void WriteTokenizerMetadata(const std::string& path, const TokenizerMetadata& metadata) {
  YAML::Node node;
  node["format_version"] = metadata.format_version;
  node["model_type"] = TokenizerModelTypeName(metadata.model_type);
  node["vocab_size"] = metadata.vocab_size;
  node["model_checksum"] = metadata.model_checksum;
  YAML::Node ids;
  ids["blank"] = metadata.blank_id;
  ids["unk"] = metadata.unk_id;
  ids["sos_eos"] = metadata.sos_eos_id;
  node["special_ids"] = ids;
  node["normalizer"] = ToYaml(metadata.normalizer);
  SaveYamlFile(path, node,
               "Verbatim tokenizer: belongs to the tokenizer.model beside it (see model_checksum)");
}

TokenizerMetadata ReadTokenizerMetadata(const std::string& path) {
  YamlMap map(LoadYamlFile(path), path, "");
  TokenizerMetadata metadata;
  map.Get("format_version", &metadata.format_version);
  Check(metadata.format_version == kTokenizerFormatVersion,
        path + ": format_version " + std::to_string(metadata.format_version) +
            " is not supported (this Verbatim reads version " +
            std::to_string(kTokenizerFormatVersion) + ")");
  map.GetNamed("model_type", &metadata.model_type, ParseTokenizerModelType);
  map.Get("vocab_size", &metadata.vocab_size);
  map.Get("model_checksum", &metadata.model_checksum);
  YamlMap ids = map.Map("special_ids");
  ids.Get("blank", &metadata.blank_id);
  ids.Get("unk", &metadata.unk_id);
  ids.Get("sos_eos", &metadata.sos_eos_id);
  ids.CheckAllKeysUsed();
  metadata.normalizer = NormalizerFromYaml(map.Map("normalizer"), /*required=*/true);
  map.CheckAllKeysUsed();
  return metadata;
}

void WriteTextNormalizerOptions(const std::string& path, const TextNormalizerOptions& opts) {
  YAML::Node node;
  node["normalizer"] = ToYaml(opts);
  SaveYamlFile(path, node, "Verbatim text normalization");
}

TextNormalizerOptions ReadTextNormalizerOptions(const std::string& path) {
  YamlMap map(LoadYamlFile(path), path, "");
  const TextNormalizerOptions opts = NormalizerFromYaml(map.Map("normalizer"), false);
  map.CheckAllKeysUsed();
  return opts;
}

}  // namespace verbatim
