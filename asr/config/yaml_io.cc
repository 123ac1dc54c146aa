// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/yaml_io.h"

#include "asr/config/yaml_map.h"

#include "asr/text/text_normalizer.h"
#include "asr/text/tokenizer.h"
#include "frontend/atomic_file.h"
#include "frontend/error.h"

namespace verbatim {
namespace {

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
