// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Word times and confidences from a forced alignment whose path is known by
// construction: each token is the clear winner on frames chosen at random.
#include "asr/transcribe/word_timing.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "asr/text/tokenizer_trainer.h"
#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

Tokenizer TrainedTokenizer(TokenizerModelType type, const test::TempDir& tmp) {
  std::vector<std::string> corpus;
  static const char* kWords[] = {"the", "cat", "sat", "on", "mat", "dog", "ran", "water"};
  Random rng(1);
  for (int s = 0; s < 200; ++s) {
    std::string text;
    for (int w = 0; w < 6; ++w) text += std::string(w ? " " : "") + kWords[rng.UniformInt(0, 7)];
    corpus.push_back(text);
  }
  TokenizerTrainOptions opts;
  opts.model_type = type;
  opts.vocab_size = 22;
  opts.normalizer = NormalizerPreset("librispeech");
  TrainTokenizer(corpus, opts, tmp.path());
  return Tokenizer::Load(tmp.path());
}

TEST_CASE("word timing follows the forced alignment", "[word_timing]") {
  for (auto type : {TokenizerModelType::kUnigram, TokenizerModelType::kChar}) {
    test::TempDir tmp;
    const Tokenizer tokenizer = TrainedTokenizer(type, tmp);
    const std::vector<int> tokens = tokenizer.Encode("the cat sat on the water");
    const std::vector<std::string> words = {"THE", "CAT", "SAT", "ON", "THE", "WATER"};
    INFO(TokenizerModelTypeName(type) << ", " << tokens.size() << " tokens");
    // Token k holds frames [begin[k], end[k]) with posterior p[k]; blanks
    // (posterior 0.9) between tokens.
    Random rng(4);
    const int vocab = tokenizer.vocab_size();
    std::vector<int64_t> begin, end;
    std::vector<double> p;
    int64_t t = 2;
    for (size_t k = 0; k < tokens.size(); ++k) {
      begin.push_back(t);
      t += rng.UniformInt(1, 4);
      end.push_back(t);
      p.push_back(rng.Uniform(0.5, 0.95));
      t += rng.UniformInt(1, 3);  // blanks between tokens, also between repeats
    }
    const int64_t frames = t + 2;
    auto lp = torch::full({frames, vocab}, 0.1 / (vocab - 1), torch::kDouble);
    lp.select(1, kBlankId).fill_(0.9);
    for (size_t k = 0; k < tokens.size(); ++k)
      for (int64_t f = begin[k]; f < end[k]; ++f) {
        lp[f].fill_((1.0 - p[k]) / (vocab - 1));
        lp[f][tokens[k]] = p[k];
      }
    const auto alignment = CtcForcedAlign(lp.log(), tokens);
    REQUIRE(alignment.has_value());
    WordTimingOptions opts;
    opts.frame_s = 0.04;
    opts.offset_s = 10.0;
    opts.end_s = 10.0 + frames * 0.04;
    const auto got = WordsFromAlignment(tokens, alignment, tokenizer, opts);
    REQUIRE(got.size() == words.size());
    // The tokens of each word, from the pieces: those after a "▁" piece.
    size_t k = 0;
    for (size_t w = 0; w < words.size(); ++w) {
      CHECK(got[w].text == words[w]);
      std::vector<size_t> own;  // token indices of word w, the bare marker excluded
      do {
        if (tokenizer.IdToPiece(tokens[k]) != "\u2581") own.push_back(k);
        ++k;
      } while (k < tokens.size() && tokenizer.IdToPiece(tokens[k]).rfind("\u2581", 0) != 0);
      REQUIRE(!own.empty());
      CHECK(got[w].start_s == Approx(10.0 + begin[own.front()] * 0.04));
      CHECK(got[w].end_s == Approx(10.0 + end[own.back()] * 0.04));
      double confidence = 0.0;
      for (size_t j : own) confidence += p[j];
      CHECK(got[w].confidence == Approx(confidence / own.size()));
    }
    // Without an alignment the words share the segment, with confidence 0.
    const auto even = WordsFromAlignment(tokens, std::nullopt, tokenizer, opts);
    REQUIRE(even.size() == words.size());
    for (size_t w = 0; w < words.size(); ++w) {
      CHECK(even[w].text == words[w]);
      CHECK(even[w].start_s == Approx(10.0 + w * frames * 0.04 / words.size()));
      CHECK(even[w].confidence == 0.0);
    }
  }
}

}  // namespace
}  // namespace verbatim
