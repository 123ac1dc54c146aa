// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// AlignTokens: hand-made cases whose S/D/I follow from the costs and the
// documented tie-breaking; minimality against an exhaustive search over all
// alignments of short sequences; and exact agreement with NIST sclite (run
// from the test) on hundreds of random utterances, words and characters.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <sstream>

#include "asr/eval/edit_alignment.h"
#include "asr/util/utf8.h"
#include "base/error.h"
#include "base/random.h"
#include "tests/asr/eval/sclite_reference.h"

namespace verbatim {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

// "C:a:a D:b: I::e" style rendering of an alignment.
std::string Render(const std::vector<std::string>& ref, const std::vector<std::string>& hyp,
                   const std::vector<AlignedPair>& alignment) {
  std::string out;
  for (const AlignedPair& p : alignment) {
    if (!out.empty()) out += ' ';
    out += std::string(1, EditOpCode(p.op)) + ":" + (p.ref >= 0 ? ref[p.ref] : "") + ":" +
           (p.hyp >= 0 ? hyp[p.hyp] : "");
  }
  return out;
}

std::string Align(const std::string& ref, const std::string& hyp, AlignmentMode mode) {
  const auto r = Split(ref), h = Split(hyp);
  return Render(r, h, AlignTokens(r, h, mode));
}

EditCounts Counts(const std::string& ref, const std::string& hyp, AlignmentMode mode) {
  return CountEdits(AlignTokens(Split(ref), Split(hyp), mode));
}

EditCounts Make(int64_t n, int64_t c, int64_t s, int64_t d, int64_t i) {
  EditCounts e;
  e.ref_tokens = n;
  e.correct = c;
  e.substitutions = s;
  e.deletions = d;
  e.insertions = i;
  return e;
}

TEST_CASE("sclite alignment: hand-made cases", "[score]") {
  const AlignmentMode m = AlignmentMode::kSclite;
  CHECK(Align("a b c", "a b c", m) == "C:a:a C:b:b C:c:c");
  CHECK(Align("a b c d", "a c d e", m) == "C:a:a D:b: C:c:c C:d:d I::e");
  CHECK(Align("", "x y", m) == "I::x I::y");
  CHECK(Align("a b", "", m) == "D:a: D:b:");
  CHECK(Align("", "", m).empty());
  CHECK(Align("a", "b", m) == "S:a:b");
  // Two substitutions cost 8, a deletion and an insertion 6.
  CHECK(Align("a b", "b c", m) == "D:a: C:b:b I::c");
  // Ties: the diagonal step wins in the last cells, so the substitution comes
  // last and the deletion first (as `sctk sclite` prints it).
  CHECK(Align("x y z", "x q", m) == "C:x:x D:y: S:z:q");
  CHECK(Align("a", "a a", m) == "I::a C:a:a");
  // Matching is byte for byte: case matters.
  CHECK(Align("HELLO big", "hello", m) == "D:HELLO: S:big:hello");
  CHECK(Counts("the cat sat on the mat", "the cat sat on mat", m) == Make(6, 5, 0, 1, 0));
  CHECK(Counts("a b c d e", "x y z", m) == Make(5, 0, 3, 2, 0));
}

TEST_CASE("kaldi alignment: Levenshtein counts with compute-wer's tie-breaking", "[score]") {
  const AlignmentMode m = AlignmentMode::kKaldi;
  CHECK(Align("a b c d", "a c d e", m) == "C:a:a D:b: C:c:c C:d:d I::e");
  // A diagonal step must be strictly cheaper; then a deletion strictly
  // cheaper than an insertion (traced by hand through Kaldi's recursion).
  CHECK(Align("a b", "b c", m) == "D:a: C:b:b I::c");
  CHECK(Align("x y z", "x q", m) == "C:x:x S:y:q D:z:");
  CHECK(Align("a", "a a", m) == "C:a:a I::a");
  CHECK(Counts("a b c d e", "x y z", m) == Make(5, 0, 3, 2, 0));
}

TEST_CASE("edit counts: rates, sums and mode names", "[score]") {
  EditCounts c = Make(4, 2, 1, 1, 2);
  CHECK(c.Errors() == 4);
  CHECK(c.ErrorRate() == Approx(1.0));
  c += Make(6, 6, 0, 0, 0);
  CHECK(c == Make(10, 8, 1, 1, 2));
  CHECK(c.ErrorRate() == Approx(0.4));
  CHECK(EditCounts().ErrorRate() == 0.0);
  CHECK(std::isinf(Make(0, 0, 0, 0, 1).ErrorRate()));
  CHECK(ParseAlignmentMode("kaldi") == AlignmentMode::kKaldi);
  CHECK(AlignmentModeName(ParseAlignmentMode("sclite")) == "sclite");
  CHECK_THROWS_WITH(ParseAlignmentMode("nist"), Catch::Contains("sclite or kaldi"));
}

// The smallest cost of any alignment, by trying every one (no dynamic program).
int64_t ExhaustiveMinimum(const std::vector<std::string>& r, const std::vector<std::string>& h,
                          AlignmentMode mode) {
  const int64_t sub = mode == AlignmentMode::kSclite ? 4 : 1;
  const int64_t indel = mode == AlignmentMode::kSclite ? 3 : 1;
  std::function<int64_t(size_t, size_t)> best = [&](size_t i, size_t j) -> int64_t {
    if (i == r.size()) return static_cast<int64_t>(h.size() - j) * indel;
    if (j == h.size()) return static_cast<int64_t>(r.size() - i) * indel;
    return std::min({best(i + 1, j + 1) + (r[i] == h[j] ? 0 : sub), best(i + 1, j) + indel,
                     best(i, j + 1) + indel});
  };
  return best(0, 0);
}

TEST_CASE("alignments are valid and minimal (exhaustive search on short sequences)", "[score]") {
  Random rng(7);
  const std::vector<std::string> vocab = {"a", "b", "c"};
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<std::string> r(rng.UniformInt(0, 6)), h(rng.UniformInt(0, 6));
    for (auto& w : r) w = vocab[rng.UniformInt(0, 2)];
    for (auto& w : h) w = vocab[rng.UniformInt(0, 2)];
    for (const AlignmentMode mode : {AlignmentMode::kSclite, AlignmentMode::kKaldi}) {
      const std::vector<AlignedPair> a = AlignTokens(r, h, mode);
      INFO(AlignmentModeName(mode) << ": " << Render(r, h, a));
      int next_ref = 0, next_hyp = 0;
      for (const AlignedPair& p : a) {
        if (p.ref >= 0) REQUIRE(p.ref == next_ref++);
        if (p.hyp >= 0) REQUIRE(p.hyp == next_hyp++);
        if (p.op == EditOp::kCorrect) REQUIRE(r[p.ref] == h[p.hyp]);
        if (p.op == EditOp::kSubstitution) REQUIRE(r[p.ref] != h[p.hyp]);
        REQUIRE((p.ref < 0) == (p.op == EditOp::kInsertion));
        REQUIRE((p.hyp < 0) == (p.op == EditOp::kDeletion));
      }
      REQUIRE(next_ref == static_cast<int>(r.size()));
      REQUIRE(next_hyp == static_cast<int>(h.size()));
      REQUIRE(AlignmentCost(a, mode) == ExhaustiveMinimum(r, h, mode));
      REQUIRE(CountEdits(a).ref_tokens == static_cast<int64_t>(r.size()));
    }
  }
}

TEST_CASE("sclite alignment agrees with sctk sclite on random utterances", "[score][sclite]") {
  if (test::SkipWithoutSclite()) return;
  const std::vector<test::ScliteInput> utts = test::RandomUtterances(2024, 600);
  const test::ScliteResult sclite = test::RunSclite(utts);
  EditCounts total;
  int same_alignment = 0;
  for (const test::ScliteInput& u : utts) {
    const std::vector<AlignedPair> a = AlignTokens(u.ref, u.hyp, AlignmentMode::kSclite);
    const test::ScliteUtterance& s = sclite.utterances.at(u.id);
    INFO(u.id << ": ours " << Render(u.ref, u.hyp, a));
    REQUIRE(CountEdits(a) == s.counts);
    REQUIRE(a.size() == s.alignment.size());
    bool same = true;
    for (size_t i = 0; i < a.size(); ++i) {
      same = same && EditOpCode(a[i].op) == s.alignment[i].op &&
             (a[i].ref >= 0 ? u.ref[a[i].ref] : "") == s.alignment[i].ref &&
             (a[i].hyp >= 0 ? u.hyp[a[i].hyp] : "") == s.alignment[i].hyp;
    }
    CHECK(same);
    same_alignment += same;
    total += CountEdits(a);
  }
  CHECK(total == sclite.sum);
  CHECK(same_alignment == 600);
  CHECK(total.Errors() > 500);  // the random edits do produce errors of each kind
  CHECK(total.substitutions > 100);
  CHECK(total.deletions > 100);
  CHECK(total.insertions > 100);
}

TEST_CASE("sclite character alignment agrees with sctk sclite -c", "[score][sclite]") {
  if (test::SkipWithoutSclite()) return;
  std::vector<test::ScliteInput> utts = test::RandomUtterances(77, 300);
  utts[0].ref = {"héllo", "wörld"};  // UTF-8: characters, not bytes
  utts[0].hyp = {"hello", "world", "ça"};
  const test::ScliteResult sclite = test::RunSclite(utts, /*characters=*/true);
  EditCounts total;
  for (const test::ScliteInput& u : utts) {
    std::vector<std::string> r, h;
    for (const auto& w : u.ref)
      for (const auto& c : SplitUtf8Characters(w)) r.push_back(c);
    for (const auto& w : u.hyp)
      for (const auto& c : SplitUtf8Characters(w)) h.push_back(c);
    const EditCounts ours = CountEdits(AlignTokens(r, h, AlignmentMode::kSclite));
    INFO(u.id);
    REQUIRE(ours == sclite.utterances.at(u.id).counts);
    total += ours;
  }
  CHECK(sclite.utterances.at(utts[0].id).counts == Make(10, 8, 2, 0, 2));
  CHECK(total == sclite.sum);
}

// Kaldi compute-wer's way of counting: one pass over the hypothesis words,
// each cell carrying the counts of its chosen predecessor (no back pointers).
EditCounts KaldiForwardCounts(const std::vector<std::string>& ref,
                              const std::vector<std::string>& hyp) {
  struct Cell {
    int64_t cost, sub, del, ins;
  };
  std::vector<Cell> prev(ref.size() + 1), cur(ref.size() + 1);
  for (size_t r = 0; r <= ref.size(); ++r) prev[r] = {int64_t(r), 0, int64_t(r), 0};
  for (size_t h = 1; h <= hyp.size(); ++h) {
    cur[0] = {prev[0].cost + 1, 0, 0, prev[0].ins + 1};
    for (size_t r = 1; r <= ref.size(); ++r) {
      const bool same = hyp[h - 1] == ref[r - 1];
      const int64_t diagonal = prev[r - 1].cost + (same ? 0 : 1);
      const int64_t insertion = prev[r].cost + 1;
      const int64_t deletion = cur[r - 1].cost + 1;
      if (diagonal < insertion && diagonal < deletion) {
        cur[r] = prev[r - 1];
        cur[r].sub += !same;
        cur[r].cost = diagonal;
      } else if (deletion < insertion) {
        cur[r] = cur[r - 1];
        ++cur[r].del;
        cur[r].cost = deletion;
      } else {
        cur[r] = prev[r];
        ++cur[r].ins;
        cur[r].cost = insertion;
      }
    }
    std::swap(prev, cur);
  }
  const Cell& end = prev[ref.size()];
  EditCounts c;
  c.ref_tokens = static_cast<int64_t>(ref.size());
  c.substitutions = end.sub;
  c.deletions = end.del;
  c.insertions = end.ins;
  c.correct = c.ref_tokens - c.substitutions - c.deletions;
  return c;
}

TEST_CASE("kaldi mode counts equal compute-wer's forward counting", "[score]") {
  int differs_from_sclite = 0;
  for (const test::ScliteInput& u : test::RandomUtterances(8, 600)) {
    const EditCounts k = CountEdits(AlignTokens(u.ref, u.hyp, AlignmentMode::kKaldi));
    REQUIRE(k == KaldiForwardCounts(u.ref, u.hyp));
    differs_from_sclite += k != CountEdits(AlignTokens(u.ref, u.hyp, AlignmentMode::kSclite));
  }
  CHECK(differs_from_sclite > 0);  // the two modes are not the same thing
}

TEST_CASE("kaldi counts never exceed sclite's error count", "[score]") {
  for (const test::ScliteInput& u : test::RandomUtterances(5, 300)) {
    const EditCounts k = CountEdits(AlignTokens(u.ref, u.hyp, AlignmentMode::kKaldi));
    const EditCounts s = CountEdits(AlignTokens(u.ref, u.hyp, AlignmentMode::kSclite));
    REQUIRE(k.Errors() <= s.Errors());
    REQUIRE(k.ref_tokens == s.ref_tokens);
  }
}

}  // namespace
}  // namespace verbatim
