// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Training of a tokenizer directory (see asr/text/tokenizer.h) with
// SentencePiece. Texts are normalized here with the options that are saved in
// tokenizer.yaml; SentencePiece's own normalization is switched off
// ("identity") so that the saved options are the whole story.
//
// SentencePiece runs through SentencePieceBackend (sentencepiece_backend.h) on
// a file of normalized sentences in a temporary folder.
//
// Deterministic: the same texts and options give the same model bytes (the
// temporary paths SentencePiece records are replaced by fixed names). Piece
// scores may differ in their last bits with num_threads, which is therefore an
// option, not the machine's core count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asr/text/text_normalizer.h"
#include "asr/text/tokenizer.h"

namespace verbatim {

struct TokenizerTrainOptions {
  TokenizerModelType model_type = TokenizerModelType::kUnigram;
  // Tokens, the 3 special ones included (for unigram and bpe; a char model holds every
  // character kept by character_coverage, whatever this says).
  int vocab_size = 5000;
  // Fraction of the training characters (by count) that get a piece; the rarest others
  // become <unk>. 1.0 keeps them all (right for alphabets; ~0.9995 for Chinese/Japanese).
  double character_coverage = 1.0;
  TextNormalizerOptions normalizer;  // applied to every text, saved in tokenizer.yaml
  int64_t max_sentences = 0;         // sentences sampled for training (0: all of them)
  int max_sentence_bytes = 4192;     // bytes; longer sentences are left out of training
  uint32_t seed = 0;                 // of the sentence sampling (max_sentences)
  int num_threads = 1;               // SentencePiece training threads
  bool verbose = false;              // SentencePiece's training log on stderr
};

// Trains on `texts` and writes out_dir/tokenizer.model and out_dir/tokenizer.yaml
// (each atomically; the YAML last, and its checksum ties the pair together).
// Creates out_dir if needed. Throws Error (e.g. a vocab_size too large for the
// texts, with SentencePiece's explanation). Returns what tokenizer.yaml holds.
TokenizerMetadata TrainTokenizer(const std::vector<std::string>& texts,
                                 const TokenizerTrainOptions& opts, const std::string& out_dir);

// The transcripts of a Kaldi `text` file ("utt-id word word ..." per line), the
// utterance ids removed; lines without words are skipped. Throws Error("path: ...").
std::vector<std::string> ReadKaldiTranscripts(const std::string& path);

// TrainTokenizer on the transcripts of Kaldi `text` files.
TokenizerMetadata TrainTokenizerFromKaldiText(const std::vector<std::string>& text_paths,
                                              const TokenizerTrainOptions& opts,
                                              const std::string& out_dir);

}  // namespace verbatim
