// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Edit-distance alignment of a reference and a hypothesis token sequence
// (words, or characters for CER), and its error counts.
//
// Two cost schemes, each with the tie-breaking of the tool it reproduces, so
// that the split of errors into substitutions, deletions and insertions (not
// only their sum) agrees with that tool:
//   kSclite: NIST sclite's word alignment (correct 0, substitution 4,
//            insertion 3, deletion 3). In every cell of the dynamic program a
//            diagonal step (correct or substitution) wins ties, then a deletion
//            beats an insertion only when strictly cheaper; the alignment is
//            read back from the last cell (sclite's net_dp.c; checked against
//            `sctk sclite` on thousands of random utterances).
//   kKaldi:  Kaldi compute-wer (all costs 1: the plain Levenshtein distance).
//            A diagonal step wins only when strictly cheaper than both others,
//            then a deletion when strictly cheaper than an insertion, else an
//            insertion (Kaldi's LevenshteinEditDistance with counts).
// Tokens match when their bytes are equal (normalize case beforehand).
// Memory: one byte per (ref + 1) x (hyp + 1) cell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace verbatim {

enum class AlignmentMode { kSclite, kKaldi };

// "sclite" | "kaldi" (Parse throws Error naming the accepted values).
std::string AlignmentModeName(AlignmentMode mode);
AlignmentMode ParseAlignmentMode(const std::string& name);

enum class EditOp : char { kCorrect, kSubstitution, kDeletion, kInsertion };

// sclite's one-letter codes: 'C', 'S', 'D', 'I'.
char EditOpCode(EditOp op);

// One column of an alignment: indices into the reference and hypothesis
// (-1 where the column has none: hyp for a deletion, ref for an insertion).
struct AlignedPair {
  EditOp op = EditOp::kCorrect;
  int ref = -1;
  int hyp = -1;
};

// Counts of an alignment (or a sum of them). ref_tokens = correct +
// substitutions + deletions.
struct EditCounts {
  int64_t ref_tokens = 0;
  int64_t correct = 0;
  int64_t substitutions = 0;
  int64_t deletions = 0;
  int64_t insertions = 0;

  int64_t Errors() const { return substitutions + deletions + insertions; }
  // Errors / ref_tokens (a fraction, not percent); 0 when both are 0, and
  // +infinity for errors against an empty reference.
  double ErrorRate() const;
  EditCounts& operator+=(const EditCounts& other);
};

bool operator==(const EditCounts& a, const EditCounts& b);
inline bool operator!=(const EditCounts& a, const EditCounts& b) { return !(a == b); }

// The alignment of `ref` and `hyp`, in order (every ref and hyp index appears
// exactly once).
std::vector<AlignedPair> AlignTokens(const std::vector<std::string>& ref,
                                     const std::vector<std::string>& hyp, AlignmentMode mode);

EditCounts CountEdits(const std::vector<AlignedPair>& alignment);

// The total cost of an alignment under `mode`'s costs (4/3/3 or 1/1/1).
int64_t AlignmentCost(const std::vector<AlignedPair>& alignment, AlignmentMode mode);

}  // namespace verbatim
