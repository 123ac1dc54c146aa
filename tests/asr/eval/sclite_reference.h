// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// NIST sclite (Debian's `sctk`, installed by tools/install_deps.sh --bench) as
// the reference for scoring tests: writes trn files, runs `sctk sclite`, and
// parses its per-utterance alignments (sgml), its raw summary table (rsum)
// and its printed alignments (pra). Header-only so that asr_tests and
// tools_tests can both use it.
#pragma once

#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "asr/eval/edit_alignment.h"
#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace test {

// Prints a warning and returns true when sctk is not installed.
inline bool SkipWithoutSclite() {
  if (HaveProgram("sctk")) return false;
  WARN("sctk is not installed (tools/install_deps.sh --bench): sclite comparison skipped");
  return true;
}

struct ScliteColumn {
  char op = 'C';    // C, S, D or I
  std::string ref;  // "" for an insertion
  std::string hyp;  // "" for a deletion
};

struct ScliteUtterance {
  std::vector<ScliteColumn> alignment;
  EditCounts counts;  // from the alignment
};

struct ScliteResult {
  std::map<std::string, ScliteUtterance> utterances;  // by id, as in the trn files
  std::map<std::string, EditCounts> speakers;         // rsum rows, by speaker (lower case)
  EditCounts sum;                                     // the rsum "Sum" row
  int64_t sentences = 0;                              // "# Snt" of the Sum row
  int64_t sentences_with_errors = 0;                  // "S.Err" of the Sum row
  std::map<std::string, std::string> pra;             // id -> "id: (..)\nScores...\nEval: ..\n"
};

struct ScliteInput {
  std::string id;  // "speaker-utterance" (sclite's spu_id form)
  std::vector<std::string> ref;
  std::vector<std::string> hyp;
};

namespace sclite_detail {

inline void WriteTrn(const std::string& path, const std::vector<ScliteInput>& utts, bool ref) {
  std::ofstream out(path);
  for (const ScliteInput& u : utts) {
    for (const std::string& w : ref ? u.ref : u.hyp) out << w << ' ';
    out << '(' << u.id << ")\n";
  }
}

// `C,"a","a":D,"b",:I,,"c"` -> columns.
inline std::vector<ScliteColumn> ParseSgmlPath(const std::string& line) {
  std::vector<ScliteColumn> columns;
  size_t i = 0;
  auto field = [&]() {
    std::string value;
    if (i < line.size() && line[i] == '"') {
      const size_t end = line.find('"', i + 1);
      REQUIRE(end != std::string::npos);
      value = line.substr(i + 1, end - i - 1);
      i = end + 1;
    }
    return value;
  };
  while (i < line.size()) {
    ScliteColumn c;
    c.op = line[i++];
    REQUIRE(line[i++] == ',');
    c.ref = field();
    REQUIRE(line[i++] == ',');
    c.hyp = field();
    columns.push_back(c);
    if (i < line.size()) REQUIRE(line[i++] == ':');
  }
  return columns;
}

inline EditCounts Count(const std::vector<ScliteColumn>& columns) {
  EditCounts c;
  for (const ScliteColumn& col : columns) {
    c.correct += col.op == 'C';
    c.substitutions += col.op == 'S';
    c.deletions += col.op == 'D';
    c.insertions += col.op == 'I';
  }
  c.ref_tokens = c.correct + c.substitutions + c.deletions;
  return c;
}

inline void ParseSgml(const std::string& text, ScliteResult* result) {
  std::istringstream in(text);
  std::string line;
  const std::string tag = "<PATH id=\"(";
  while (std::getline(in, line)) {
    if (line.compare(0, tag.size(), tag) != 0) continue;
    const std::string id = line.substr(tag.size(), line.find(")\"") - tag.size());
    std::string body;
    std::getline(in, body);
    ScliteUtterance& u = result->utterances[id];
    if (body != "</PATH>") u.alignment = ParseSgmlPath(body);
    u.counts = Count(u.alignment);
  }
}

// Rows "| name | snt wrd | corr sub del ins err serr |" of the rsum table.
inline void ParseRsum(const std::string& text, ScliteResult* result) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    std::string cell;
    while (std::getline(row, cell, '|')) cells.push_back(cell);
    if (cells.size() != 4) continue;  // indentation, name, sentences, counts
    std::istringstream name_in(cells[1]), left(cells[2]), right(cells[3]);
    std::string name;
    name_in >> name;
    int64_t snt, wrd, corr, sub, del, ins, err, serr;
    if (name.empty() || name == "SPKR" || !(left >> snt >> wrd)) continue;
    if (!(right >> corr >> sub >> del >> ins >> err >> serr)) continue;
    if (name == "Mean" || name == "S.D." || name == "Median") continue;
    EditCounts c;
    c.ref_tokens = wrd;
    c.correct = corr;
    c.substitutions = sub;
    c.deletions = del;
    c.insertions = ins;
    if (name == "Sum") {
      result->sum = c;
      result->sentences = snt;
      result->sentences_with_errors = serr;
    } else {
      result->speakers[name] = c;
    }
  }
}

inline void ParsePra(const std::string& text, ScliteResult* result) {
  std::istringstream in(text);
  std::string line, id, block;
  while (std::getline(in, line)) {
    if (line.compare(0, 5, "id: (") == 0) {
      id = line.substr(5, line.size() - 6);
      block.clear();
    }
    if (id.empty()) continue;
    if (line.empty()) {  // a block ends with a blank line
      result->pra[id] = block;
      id.clear();
    } else {
      block += line + "\n";
    }
  }
}

}  // namespace sclite_detail

// Random utterances: words from a small vocabulary (lengths 1 to 9, so that
// sclite's column padding shows), hypotheses made by random substitutions,
// deletions and insertions, some unrelated, some empty. Seeded; ids
// "spkK-uNNNNNN" spread over 7 speakers (spk0..spk6).
inline std::vector<ScliteInput> RandomUtterances(uint64_t seed, int count) {
  const std::vector<std::string> vocab = {"a",   "an",   "the", "cat", "sat",
                                          "on",  "mat",  "dog", "ran", "xylophone",
                                          "bed", "read", "red", "i",   "quick"};
  Random rng(seed);
  auto word = [&]() { return vocab[rng.UniformInt(0, vocab.size() - 1)]; };
  std::vector<ScliteInput> utts;
  for (int k = 0; k < count; ++k) {
    ScliteInput u;
    u.id = "spk" + std::to_string(k % 7) + "-u" + std::to_string(100000 + k);
    u.ref.resize(rng.UniformInt(0, 14));
    for (auto& w : u.ref) w = word();
    if (rng.Uniform() < 0.15) {
      u.hyp.resize(rng.UniformInt(0, 10));
      for (auto& w : u.hyp) w = word();
    } else {
      for (const std::string& w : u.ref) {
        const double x = rng.Uniform();
        if (x < 0.12) continue;
        u.hyp.push_back(x < 0.3 ? word() : w);
        if (rng.Uniform() < 0.12) u.hyp.push_back(word());
      }
    }
    utts.push_back(u);
  }
  return utts;
}

// Runs `sctk sclite` (default options: case-insensitive, so give single-case
// words to compare with exact matching) on `utts`; `characters` aligns
// characters (`-c -e utf-8`) instead of words.
inline ScliteResult RunSclite(const std::vector<ScliteInput>& utts, bool characters = false) {
  TempDir dir;
  sclite_detail::WriteTrn(dir.File("ref.trn"), utts, true);
  sclite_detail::WriteTrn(dir.File("hyp.trn"), utts, false);
  const std::string command =
      "cd '" + dir.path() + "' && sctk sclite -r ref.trn trn -h hyp.trn trn -i spu_id " +
      (characters ? "-c -e utf-8 " : "") + "-o rsum sgml pra -O . -n out -f 0";
  std::string output;
  INFO(command);
  REQUIRE(RunCommand(command, &output) == 0);
  ScliteResult result;
  sclite_detail::ParseSgml(test::ReadFile(dir.File("out.sgml")), &result);
  sclite_detail::ParseRsum(test::ReadFile(dir.File("out.raw")), &result);
  sclite_detail::ParsePra(test::ReadFile(dir.File("out.pra")), &result);
  REQUIRE(result.utterances.size() == utts.size());
  return result;
}

}  // namespace test
}  // namespace verbatim

namespace Catch {
template <>
struct StringMaker<verbatim::EditCounts> {
  static std::string convert(const verbatim::EditCounts& c) {
    return "{N " + std::to_string(c.ref_tokens) + ", C " + std::to_string(c.correct) + ", S " +
           std::to_string(c.substitutions) + ", D " + std::to_string(c.deletions) + ", I " +
           std::to_string(c.insertions) + "}";
  }
};
}  // namespace Catch
