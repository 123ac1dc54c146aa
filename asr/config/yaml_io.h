// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The one place that reads and writes YAML (with yaml-cpp): every config or
// metadata file of Verbatim has its Read/Write pair here, so the on-disk
// forms live side by side. Files are written atomically (AtomicOutputFile).
// Reading is strict: a missing required key, a value of the wrong type and an
// unknown key (a typo) are errors naming the file and the key path, e.g.
//   "exp/tok/tokenizer.yaml: normalizer.keep_digits: expected true or false, got 'maybe'"
#pragma once

#include <string>

namespace verbatim {

struct TextNormalizerOptions;
struct TokenizerMetadata;

// tokenizer.yaml (asr/text/tokenizer.h); every key is required.
void WriteTokenizerMetadata(const std::string& path, const TokenizerMetadata& metadata);
TokenizerMetadata ReadTokenizerMetadata(const std::string& path);

// A file with a top-level "normalizer:" map; keys left out keep their defaults.
void WriteTextNormalizerOptions(const std::string& path, const TextNormalizerOptions& opts);
TextNormalizerOptions ReadTextNormalizerOptions(const std::string& path);

}  // namespace verbatim
