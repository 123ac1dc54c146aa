// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/tokenizer_metadata.h"

#include "asr/config/yaml_file.h"
#include "base/error.h"

namespace verbatim {
namespace {

constexpr int kTokenizerFormatVersion = 1;

// The top-level keys of tokenizer.yaml (special_ids and normalizer are
// sections of their own).
void RegisterTopLevel(OptionRegistry* r, TokenizerMetadata* m) {
  r->Register("format_version", &m->format_version, "version of this file's layout");
  RegisterNamed(r, "model_type", &m->model_type, ParseTokenizerModelType, TokenizerModelTypeName,
                {"unigram", "bpe", "char"}, "SentencePiece model type");
  r->Register("vocab_size", &m->vocab_size, "tokens, the special ones included");
  r->Register("model_checksum", &m->model_checksum, "checksum of tokenizer.model");
}

void RegisterSpecialIds(OptionRegistry* r, TokenizerMetadata* m) {
  r->Register("blank", &m->blank_id, "id of <blank>");
  r->Register("unk", &m->unk_id, "id of <unk>");
  r->Register("sos_eos", &m->sos_eos_id, "id of <sos/eos>");
}

}  // namespace

std::string TokenizerModelTypeName(TokenizerModelType type) {
  switch (type) {
    case TokenizerModelType::kBpe:
      return "bpe";
    case TokenizerModelType::kChar:
      return "char";
    case TokenizerModelType::kUnigram:
      break;
  }
  return "unigram";
}

TokenizerModelType ParseTokenizerModelType(const std::string& name) {
  for (auto type :
       {TokenizerModelType::kUnigram, TokenizerModelType::kBpe, TokenizerModelType::kChar})
    if (TokenizerModelTypeName(type) == name) return type;
  throw Error("unknown tokenizer type '" + name + "' (known: unigram, bpe, char)");
}

void WriteTokenizerMetadata(const std::string& path, const TokenizerMetadata& metadata) {
  TokenizerMetadata m = metadata;
  YamlFileWriter file;
  file.Write("", [&m](OptionRegistry* r) { RegisterTopLevel(r, &m); });
  file.Write("special_ids", [&m](OptionRegistry* r) { RegisterSpecialIds(r, &m); });
  file.Write("normalizer", m.normalizer);
  file.Save(path,
            "Verbatim tokenizer: belongs to the tokenizer.model beside it (see model_checksum)");
}

TokenizerMetadata ReadTokenizerMetadata(const std::string& path) {
  using Keys = YamlFileReader::Keys;
  YamlFileReader file(path);
  TokenizerMetadata m;
  // The version first: a file of another version may have other keys.
  file.Read(
      "",
      [&m](OptionRegistry* r) {
        r->Register("format_version", &m.format_version, "version of this file's layout");
      },
      Keys::kRequired);
  Check(m.format_version == kTokenizerFormatVersion,
        path + ": format_version " + std::to_string(m.format_version) +
            " is not supported (this Verbatim reads version " +
            std::to_string(kTokenizerFormatVersion) + ")");
  file.Read(
      "", [&m](OptionRegistry* r) { RegisterTopLevel(r, &m); }, Keys::kRequired);
  file.Read(
      "special_ids", [&m](OptionRegistry* r) { RegisterSpecialIds(r, &m); }, Keys::kRequired);
  file.Read("normalizer", &m.normalizer, Keys::kRequired);
  file.CheckAllKeysUsed();
  return m;
}

}  // namespace verbatim
