// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// WerScorer: missing and extra hypotheses, normalization, CER, per-speaker
// totals, most frequent errors; per-utterance and per-speaker agreement with
// NIST sclite on random utterances and on the real transcripts of
// shared/speech/labeled against a corrupted copy.
#include <catch2/catch.hpp>
#include <fstream>

#include "asr/eval/wer_scorer.h"
#include "base/error.h"
#include "base/random.h"
#include "tests/asr/eval/sclite_reference.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

std::vector<Transcript> Texts(const std::vector<std::pair<std::string, std::string>>& items) {
  std::vector<Transcript> out;
  int line = 0;
  for (const auto& item : items) out.push_back({item.first, item.second, ++line});
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_CASE("wer scorer: totals, missing hypotheses, CER", "[score]") {
  ScoringInput input;
  input.refs = Texts({{"u1", "the cat sat"}, {"u2", "on the mat"}, {"u3", "hello world"}});
  input.hyps = Texts({{"u2", "on a mat"}, {"u1", "the cat sat down"}});
  input.hyp_name = "hyp.txt";
  const ScoreReport r = WerScorer().Score(input);
  REQUIRE(r.utterances.size() == 3);
  CHECK(r.utterances[0].id == "u1");  // reference order
  CHECK(r.words.ref_tokens == 8);
  CHECK(r.words.substitutions == 1);
  CHECK(r.words.insertions == 1);
  CHECK(r.words.deletions == 2);  // u3 has no hypothesis: all deleted
  CHECK(r.words.ErrorRate() == Approx(4.0 / 8));
  CHECK(r.utterances[2].hyp_missing);
  CHECK(r.missing_hypotheses == 1);
  CHECK(r.utterances_with_errors == 3);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains("1 of 3 utterances have no hypothesis in hyp.txt") &&
                                Catch::Contains("u3"));
  // Characters, spaces excluded: 9 + 8 + 10; "the" -> "a" is 2 deletions and a
  // substitution, "down" 4 insertions, "helloworld" 10 deletions.
  CHECK(r.chars.ref_tokens == 27);
  CHECK(r.chars.insertions == 4);
  CHECK(r.chars.deletions == 12);
  CHECK(r.chars.substitutions == 1);
}

TEST_CASE("wer scorer: a hypothesis without reference is an error", "[score]") {
  ScoringInput input;
  input.refs = Texts({{"u1", "a b"}});
  input.hyps = Texts({{"u1", "a b"}, {"zz", "c"}});
  input.hyp_name = "hyp.txt";
  CHECK_THROWS_WITH(WerScorer().Score(input), "hyp.txt: line 2: utterance 'zz' has no reference");
}

TEST_CASE("wer scorer: normalization and character error rate", "[score]") {
  WerScorerOptions opts;
  opts.normalizer.letter_case = LetterCase::kUpper;
  opts.normalizer.remove_punctuation = true;
  opts.normalizer.drop_tags = true;
  const WerScorer scorer(opts);
  const std::string hyp = "hello world [noise]";
  const UtteranceScore u = scorer.ScoreUtterance("u", "Hello, <unk> World!", &hyp);
  CHECK(u.ref == std::vector<std::string>{"HELLO", "WORLD"});
  CHECK(u.words.Errors() == 0);
  // Same characters, different word boundaries: no character error.
  const std::string split = "abc d";
  const UtteranceScore v = WerScorer().ScoreUtterance("v", "ab cd", &split);
  CHECK(v.words.Errors() == 2);
  CHECK(v.chars.Errors() == 0);
  CHECK(v.chars.ref_tokens == 4);
  // Without normalization, case matters.
  const std::string lower = "hello";
  CHECK(WerScorer().ScoreUtterance("w", "Hello", &lower).words.substitutions == 1);
  opts.score_characters = false;
  CHECK(WerScorer(opts).ScoreUtterance("w", "Hello", &lower).chars == EditCounts());
}

TEST_CASE("wer scorer: per-speaker totals and most frequent errors", "[score]") {
  ScoringInput input;
  input.refs = Texts({{"a1", "the cat is on the mat"}, {"a2", "the dog"}, {"b1", "a cat"}});
  input.hyps = Texts({{"a1", "a cat is on a mat uh"}, {"a2", "a dog uh"}, {"b1", "a cat"}});
  input.utt2spk = {{"a1", "alice"}, {"a2", "alice"}, {"b1", "bob"}};
  WerScorerOptions opts;
  opts.top_errors = 1;
  const ScoreReport r = WerScorer(opts).Score(input);
  REQUIRE(r.speakers.size() == 2);
  CHECK(r.speakers[0].speaker == "alice");
  CHECK(r.speakers[0].utterances == 2);
  CHECK(r.speakers[0].utterances_with_errors == 2);
  CHECK(r.speakers[0].words.substitutions == 3);
  CHECK(r.speakers[0].words.insertions == 2);
  CHECK(r.speakers[1].words.Errors() == 0);
  CHECK(r.utterances[2].speaker == "bob");
  REQUIRE(r.substitutions.size() == 1);
  CHECK(r.substitutions[0].ref == "the");
  CHECK(r.substitutions[0].hyp == "a");
  CHECK(r.substitutions[0].count == 3);
  REQUIRE(r.insertions.size() == 1);
  CHECK(r.insertions[0].hyp == "uh");
  CHECK(r.insertions[0].count == 2);
  CHECK(r.deletions.empty());

  input.utt2spk.erase("b1");
  input.utt2spk_name = "utt2spk.txt";
  CHECK_THROWS_WITH(WerScorer().Score(input), "utt2spk.txt: no speaker for utterance 'b1'");
}

TEST_CASE("wer scorer: per-utterance and per-speaker counts agree with sctk sclite",
          "[score][sclite]") {
  if (test::SkipWithoutSclite()) return;
  const std::vector<test::ScliteInput> utts = test::RandomUtterances(99, 400);
  ScoringInput input;
  int line = 0;
  for (const test::ScliteInput& u : utts) {
    std::string ref, hyp;
    for (const auto& w : u.ref) ref += w + " ";
    for (const auto& w : u.hyp) hyp += w + " ";
    input.refs.push_back({u.id, ref, ++line});
    input.hyps.push_back({u.id, hyp, line});
    input.utt2spk[u.id] = u.id.substr(0, u.id.find('-'));
  }
  const ScoreReport r = WerScorer().Score(input);
  const test::ScliteResult words = test::RunSclite(utts);
  const test::ScliteResult chars = test::RunSclite(utts, /*characters=*/true);
  for (const UtteranceScore& u : r.utterances) {
    INFO(u.id);
    REQUIRE(u.words == words.utterances.at(u.id).counts);
    REQUIRE(u.chars == chars.utterances.at(u.id).counts);
  }
  CHECK(r.words == words.sum);
  CHECK(r.chars == chars.sum);
  CHECK(r.utterances_with_errors == words.sentences_with_errors);
  REQUIRE(r.speakers.size() == 7);
  REQUIRE(words.speakers.size() == 7);
  for (const SpeakerScore& s : r.speakers) {
    INFO(s.speaker);
    CHECK(s.words == words.speakers.at(s.speaker));
    CHECK(s.chars == chars.speakers.at(s.speaker));
  }
}

// Real transcripts (LibriSpeech, LJSpeech, MFA with tags, ...) normalized, and
// a copy with seeded word errors (substitutions from the corpus vocabulary,
// deletions, insertions, some utterances dropped).
TEST_CASE("wer scorer: real transcripts against a corrupted copy agree with sctk sclite",
          "[score][sclite]") {
  if (test::SkipWithoutShared()) return;
  if (test::SkipWithoutSclite()) return;
  std::ifstream in(test::SharedDir() + "/speech/labeled/TRANSCRIPTS.tsv");
  REQUIRE(in);
  WerScorerOptions opts;
  opts.normalizer.letter_case = LetterCase::kUpper;
  opts.normalizer.remove_punctuation = true;
  opts.normalizer.drop_tags = true;
  const WerScorer scorer(opts);
  ScoringInput input;
  std::vector<std::string> vocab;
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    input.refs.push_back({line.substr(0, tab), line.substr(tab + 1), 0});
    for (const std::string& w : scorer.Words(line.substr(tab + 1))) vocab.push_back(w);
  }
  REQUIRE(input.refs.size() == 127);
  Random rng(11);
  for (const Transcript& ref : input.refs) {
    if (rng.Uniform() < 0.05) continue;  // no hypothesis
    std::string hyp;
    for (const std::string& w : scorer.Words(ref.text)) {
      const double x = rng.Uniform();
      if (x < 0.06) continue;
      hyp += (x < 0.16 ? vocab[rng.UniformInt(0, vocab.size() - 1)] : w) + " ";
      if (rng.Uniform() < 0.05) hyp += vocab[rng.UniformInt(0, vocab.size() - 1)] + " ";
    }
    input.hyps.push_back({ref.id, hyp, 0});
  }
  const ScoreReport r = scorer.Score(input);
  CHECK(r.missing_hypotheses > 0);
  CHECK(r.words.ErrorRate() > 0.05);

  // sclite wants "speaker-utterance" ids: number the utterances.
  std::vector<test::ScliteInput> utts;
  for (const UtteranceScore& u : r.utterances) {
    utts.push_back({"real-" + std::to_string(utts.size()), u.ref, u.hyp});
  }
  const test::ScliteResult words = test::RunSclite(utts);
  const test::ScliteResult chars = test::RunSclite(utts, /*characters=*/true);
  for (size_t k = 0; k < utts.size(); ++k) {
    const UtteranceScore& u = r.utterances[k];
    const test::ScliteUtterance& s = words.utterances.at(utts[k].id);
    INFO(u.id);
    REQUIRE(u.words == s.counts);
    REQUIRE(u.chars == chars.utterances.at(utts[k].id).counts);
    REQUIRE(u.alignment.size() == s.alignment.size());
    for (size_t i = 0; i < s.alignment.size(); ++i) {
      const AlignedPair& p = u.alignment[i];
      REQUIRE(EditOpCode(p.op) == s.alignment[i].op);
      REQUIRE(Lower(p.ref >= 0 ? u.ref[p.ref] : "") == s.alignment[i].ref);  // sclite folds case
      REQUIRE(Lower(p.hyp >= 0 ? u.hyp[p.hyp] : "") == s.alignment[i].hyp);
    }
  }
  CHECK(r.words == words.sum);
  CHECK(r.chars == chars.sum);
}

}  // namespace
}  // namespace verbatim
