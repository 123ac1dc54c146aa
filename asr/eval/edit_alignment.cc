// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/eval/edit_alignment.h"

#include <algorithm>
#include <limits>

#include "base/error.h"

namespace verbatim {
namespace {

struct Costs {
  int64_t substitution;
  int64_t insertion;
  int64_t deletion;
  // sclite takes the diagonal step on a tie (<=); Kaldi only when strictly
  // cheaper (<). Both then prefer a deletion only when strictly cheaper than
  // an insertion.
  bool diagonal_wins_ties;
};

Costs CostsOf(AlignmentMode mode) {
  return mode == AlignmentMode::kSclite ? Costs{4, 3, 3, true} : Costs{1, 1, 1, false};
}

// Back pointers of the dynamic program.
enum Step : unsigned char { kDiagonal, kUp /* deletion */, kLeft /* insertion */ };

}  // namespace

std::string AlignmentModeName(AlignmentMode mode) {
  return mode == AlignmentMode::kSclite ? "sclite" : "kaldi";
}

AlignmentMode ParseAlignmentMode(const std::string& name) {
  if (name == "sclite") return AlignmentMode::kSclite;
  if (name == "kaldi") return AlignmentMode::kKaldi;
  throw Error("unknown scoring mode '" + name + "' (expected sclite or kaldi)");
}

char EditOpCode(EditOp op) {
  switch (op) {
    case EditOp::kCorrect:
      return 'C';
    case EditOp::kSubstitution:
      return 'S';
    case EditOp::kDeletion:
      return 'D';
    case EditOp::kInsertion:
      return 'I';
  }
  return '?';
}

double EditCounts::ErrorRate() const {
  if (ref_tokens == 0) return Errors() == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return static_cast<double>(Errors()) / static_cast<double>(ref_tokens);
}

EditCounts& EditCounts::operator+=(const EditCounts& other) {
  ref_tokens += other.ref_tokens;
  correct += other.correct;
  substitutions += other.substitutions;
  deletions += other.deletions;
  insertions += other.insertions;
  return *this;
}

bool operator==(const EditCounts& a, const EditCounts& b) {
  return a.ref_tokens == b.ref_tokens && a.correct == b.correct &&
         a.substitutions == b.substitutions && a.deletions == b.deletions &&
         a.insertions == b.insertions;
}

std::vector<AlignedPair> AlignTokens(const std::vector<std::string>& ref,
                                     const std::vector<std::string>& hyp, AlignmentMode mode) {
  const Costs costs = CostsOf(mode);
  const size_t n = ref.size(), m = hyp.size();
  const size_t width = m + 1;
  std::vector<unsigned char> back((n + 1) * width);
  // Cost rows: previous (i - 1) and current (i).
  std::vector<int64_t> prev(width), cur(width);
  for (size_t j = 0; j <= m; ++j) {
    prev[j] = static_cast<int64_t>(j) * costs.insertion;
    back[j] = kLeft;
  }
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = prev[0] + costs.deletion;
    back[i * width] = kUp;
    for (size_t j = 1; j <= m; ++j) {
      const int64_t diagonal = prev[j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : costs.substitution);
      const int64_t up = prev[j] + costs.deletion;
      const int64_t left = cur[j - 1] + costs.insertion;
      const bool take_diagonal = costs.diagonal_wins_ties ? (diagonal <= up && diagonal <= left)
                                                          : (diagonal < up && diagonal < left);
      Step step;
      if (take_diagonal) {
        step = kDiagonal;
        cur[j] = diagonal;
      } else if (up < left) {
        step = kUp;
        cur[j] = up;
      } else {
        step = kLeft;
        cur[j] = left;
      }
      back[i * width + j] = step;
    }
    std::swap(prev, cur);
  }

  std::vector<AlignedPair> alignment;
  alignment.reserve(n + m);
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    const unsigned char step = back[i * width + j];
    AlignedPair pair;
    if (step == kDiagonal) {
      pair.ref = static_cast<int>(--i);
      pair.hyp = static_cast<int>(--j);
      pair.op = ref[i] == hyp[j] ? EditOp::kCorrect : EditOp::kSubstitution;
    } else if (step == kUp) {
      pair.ref = static_cast<int>(--i);
      pair.op = EditOp::kDeletion;
    } else {
      pair.hyp = static_cast<int>(--j);
      pair.op = EditOp::kInsertion;
    }
    alignment.push_back(pair);
  }
  std::reverse(alignment.begin(), alignment.end());
  return alignment;
}

EditCounts CountEdits(const std::vector<AlignedPair>& alignment) {
  EditCounts counts;
  for (const AlignedPair& pair : alignment) {
    switch (pair.op) {
      case EditOp::kCorrect:
        ++counts.correct;
        break;
      case EditOp::kSubstitution:
        ++counts.substitutions;
        break;
      case EditOp::kDeletion:
        ++counts.deletions;
        break;
      case EditOp::kInsertion:
        ++counts.insertions;
        break;
    }
  }
  counts.ref_tokens = counts.correct + counts.substitutions + counts.deletions;
  return counts;
}

int64_t AlignmentCost(const std::vector<AlignedPair>& alignment, AlignmentMode mode) {
  const Costs costs = CostsOf(mode);
  const EditCounts counts = CountEdits(alignment);
  return counts.substitutions * costs.substitution + counts.deletions * costs.deletion +
         counts.insertions * costs.insertion;
}

}  // namespace verbatim
