// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/tokenizer.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "asr/text/sentencepiece_backend.h"
#include "asr/util/checksum.h"
#include "asr/util/utf8.h"
#include "base/error.h"

namespace verbatim {

const char kBlankPiece[] = "<blank>";
const char kUnkPiece[] = "<unk>";
const char kSosEosPiece[] = "<sos/eos>";
const char kTokenizerModelFile[] = "tokenizer.model";
const char kTokenizerYamlFile[] = "tokenizer.yaml";

namespace {

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Check(static_cast<bool>(in), path + ": cannot open");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Check(!in.bad(), path + ": read error");
  return bytes.str();
}

// The special pieces must sit at their fixed ids, with the right types.
void CheckSpecialIds(const SentencePieceBackend& sp, const std::string& where) {
  const std::string convention =
      " (Verbatim's fixed ids: 0 <blank>, 1 <unk>, 2 <sos/eos>; retrain the tokenizer with "
      "`verbatim tokenizer train`)";
  Check(sp.PieceSize() > kNumSpecialTokens,
        where + ": only " + std::to_string(sp.PieceSize()) + " pieces" + convention);
  const struct {
    int id;
    const char* piece;
    bool ok;
  } expected[] = {
      {kBlankId, kBlankPiece, sp.pad_id() == kBlankId && sp.IsControl(kBlankId)},
      {kUnkId, kUnkPiece, sp.unk_id() == kUnkId && sp.IsUnknown(kUnkId)},
      {kSosEosId, kSosEosPiece, sp.IsControl(kSosEosId)},
  };
  for (const auto& e : expected) {
    const std::string piece = sp.IdToPiece(e.id);
    Check(e.ok && piece == e.piece, where + ": id " + std::to_string(e.id) + " is '" + piece +
                                        "', expected '" + e.piece + "'" + convention);
  }
  Check(sp.bos_id() < 0 && sp.eos_id() < 0, where + ": has separate <s>/</s> pieces" + convention);
}

}  // namespace

std::string ModelChecksum(const std::string& bytes) {
  Fnv1a64 hash;
  hash.Update(bytes);
  return hash.ToString();
}

Tokenizer::Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::Load(const std::string& dir) {
  const std::string yaml_path = dir + "/" + kTokenizerYamlFile;
  const std::string model_path = dir + "/" + kTokenizerModelFile;
  Check(std::ifstream(yaml_path).good(),
        dir + ": not a tokenizer directory (no readable " + kTokenizerYamlFile + ")");
  const TokenizerMetadata metadata = ReadTokenizerMetadata(yaml_path);
  const std::string bytes = ReadFileBytes(model_path);
  Check(ModelChecksum(bytes) == metadata.model_checksum,
        model_path + ": does not belong to " + yaml_path +
            " (checksum differs; copy the two files together)");
  return FromModelBytes(bytes, metadata, model_path);
}

Tokenizer Tokenizer::FromModelBytes(const std::string& bytes, const TokenizerMetadata& metadata,
                                    const std::string& where) {
  Tokenizer t;
  t.processor_ = MakeSentencePieceBackend();
  const std::string error = t.processor_->LoadFromBytes(bytes);
  Check(error.empty(), where + ": not a SentencePiece model (" + error + ")");
  CheckSpecialIds(*t.processor_, where);
  Check(metadata.blank_id == kBlankId && metadata.unk_id == kUnkId &&
            metadata.sos_eos_id == kSosEosId,
        where + ": the tokenizer metadata has special ids other than 0, 1, 2");
  Check(t.processor_->PieceSize() == metadata.vocab_size,
        where + ": " + std::to_string(t.processor_->PieceSize()) +
            " pieces, but the metadata says vocab_size " + std::to_string(metadata.vocab_size));
  t.metadata_ = metadata;
  t.normalizer_ = TextNormalizer(metadata.normalizer);
  t.where_ = where;
  return t;
}

std::vector<int> Tokenizer::Encode(const std::string& text) const {
  return processor_->EncodeAsIds(normalizer_.Normalize(text));
}

std::vector<std::string> Tokenizer::EncodeAsPieces(const std::string& text) const {
  return processor_->EncodeAsPieces(normalizer_.Normalize(text));
}

std::string Tokenizer::Decode(const std::vector<int>& ids) const {
  for (int id : ids) CheckId(id);
  return processor_->DecodeIds(ids);
}

std::string Tokenizer::IdToPiece(int id) const {
  CheckId(id);
  return processor_->IdToPiece(id);
}

void Tokenizer::CheckId(int id) const {
  Check(id >= 0 && id < vocab_size(), where_ + ": token id " + std::to_string(id) +
                                          " out of range [0, " + std::to_string(vocab_size()) +
                                          ")");
}

std::vector<std::string> Tokenizer::UnknownCharacters(const std::string& text) const {
  std::vector<std::string> unknown;
  std::unordered_set<std::string> seen;
  for (const std::string& c : SplitUtf8Characters(normalizer_.Normalize(text))) {
    if (c == " " || !seen.insert(c).second) continue;
    // Each character alone: every character the model knows has a piece of its own.
    for (int id : processor_->EncodeAsIds(c)) {
      if (id != kUnkId) continue;
      unknown.push_back(c);
      break;
    }
  }
  return unknown;
}

}  // namespace verbatim
