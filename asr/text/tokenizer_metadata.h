// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// tokenizer.yaml, the half of a tokenizer directory that SentencePiece does
// not hold: the model type, the vocabulary size, the special ids, the text
// normalization the tokenizer was trained with, and a checksum of the
// tokenizer.model it belongs to. Every key is required (Verbatim writes the
// file in full).
#pragma once

#include <string>

#include "asr/text/special_tokens.h"
#include "asr/text/text_normalizer.h"

namespace verbatim {

enum class TokenizerModelType { kUnigram, kBpe, kChar };
// "unigram" | "bpe" | "char" (Parse throws Error naming the accepted values).
std::string TokenizerModelTypeName(TokenizerModelType type);
TokenizerModelType ParseTokenizerModelType(const std::string& name);

struct TokenizerMetadata {
  int format_version = 1;  // of tokenizer.yaml
  TokenizerModelType model_type = TokenizerModelType::kUnigram;
  int vocab_size = 0;  // tokens, the special ones included
  int blank_id = kBlankId;
  int unk_id = kUnkId;
  int sos_eos_id = kSosEosId;
  std::string model_checksum;  // ModelChecksum() of tokenizer.model
  TextNormalizerOptions normalizer;
};

// Reads and writes `path` (writing atomically); errors name the file and key.
void WriteTokenizerMetadata(const std::string& path, const TokenizerMetadata& metadata);
TokenizerMetadata ReadTokenizerMetadata(const std::string& path);

}  // namespace verbatim
