// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Subword tokenizer: a SentencePiece model plus the text normalization it was
// trained with. A tokenizer directory holds two files, written together by
// TrainTokenizer (asr/text/tokenizer_trainer.h):
//   tokenizer.model  the SentencePiece model
//   tokenizer.yaml   model type, vocabulary size, special ids, the normalizer
//                    options and a checksum of tokenizer.model
// Encode() normalizes with the saved options, so training and decoding can
// never disagree on the text form; a model and a YAML file from different
// trainings are refused.
//
// Fixed token ids (ESPnet's convention, the same for every Verbatim model):
//   0 = "<blank>"    CTC blank, also the padding id of token batches
//   1 = "<unk>"      characters the model cannot map (Decode writes "<unk>")
//   2 = "<sos/eos>"  start and end of sentence of the attention decoder, one
//                    symbol for both; never produced by Encode
// Ordinary pieces start at id 3. A model file with other ids is an error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "asr/text/special_tokens.h"
#include "asr/text/text_normalizer.h"
#include "asr/text/tokenizer_metadata.h"

namespace verbatim {

class SentencePieceBackend;

// kBlankId, kUnkId, kSosEosId, kNumSpecialTokens: asr/text/special_tokens.h.
extern const char kBlankPiece[];   // "<blank>"
extern const char kUnkPiece[];     // "<unk>"
extern const char kSosEosPiece[];  // "<sos/eos>"

extern const char kTokenizerModelFile[];  // "tokenizer.model"
extern const char kTokenizerYamlFile[];   // "tokenizer.yaml"

// "fnv1a64:" + 16 hex digits: a checksum of the model file's bytes, to detect
// a tokenizer.yaml that belongs to another model (not a security measure).
std::string ModelChecksum(const std::string& bytes);

class Tokenizer {
 public:
  // Reads dir/tokenizer.yaml and dir/tokenizer.model; throws Error naming the
  // file at fault (missing, malformed, mismatched, or with other special ids).
  static Tokenizer Load(const std::string& dir);
  // A tokenizer from the bytes of a SentencePiece model; `where` names it in errors.
  static Tokenizer FromModelBytes(const std::string& bytes, const TokenizerMetadata& metadata,
                                  const std::string& where);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Normalizes `text` (UTF-8), then splits it: ids in [0, vocab_size()), never 0 or 2.
  std::vector<int> Encode(const std::string& text) const;
  // The same split as Encode, as pieces ("▁THE", "RE", ...).
  std::vector<std::string> EncodeAsPieces(const std::string& text) const;
  // Text of `ids` (blank and <sos/eos> are skipped); throws Error for an id out of range.
  std::string Decode(const std::vector<int>& ids) const;
  std::string IdToPiece(int id) const;
  int vocab_size() const { return metadata_.vocab_size; }

  // The distinct characters of Normalize(text), in order of first appearance,
  // that the model cannot map (Encode would give <unk> for them). Spaces never count.
  std::vector<std::string> UnknownCharacters(const std::string& text) const;

  const TextNormalizer& normalizer() const { return normalizer_; }
  const TokenizerMetadata& metadata() const { return metadata_; }

 private:
  Tokenizer();
  void CheckId(int id) const;  // throws Error for an id outside [0, vocab_size())

  std::unique_ptr<SentencePieceBackend> processor_;
  TokenizerMetadata metadata_;
  TextNormalizer normalizer_;
  std::string where_;  // the model's name in error messages
};

}  // namespace verbatim
