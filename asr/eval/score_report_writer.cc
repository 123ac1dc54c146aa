// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/eval/score_report_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "asr/util/json_writer.h"
#include "asr/util/utf8.h"

namespace verbatim {
namespace {

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

// 100 * part / whole with one decimal, or "-" when whole is 0.
std::string Percent(int64_t part, int64_t whole) {
  return whole == 0 ? "-" : Format("%.1f", 100.0 * part / whole);
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

size_t DisplayWidth(const std::string& word) { return DecodeUtf8(word).size(); }

std::string PadRight(const std::string& s, size_t width) {
  const size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// "%WER 12.50 [ 5 / 40, 1 ins, 2 del, 2 sub ]", as Kaldi's compute-wer.
std::string RateLine(const std::string& name, const EditCounts& c) {
  const double rate = c.ErrorRate();
  const std::string value = std::isfinite(rate) ? Format("%.2f", 100.0 * rate) : "inf";
  return "%" + name + " " + value + " [ " + std::to_string(c.Errors()) + " / " +
         std::to_string(c.ref_tokens) + ", " + std::to_string(c.insertions) + " ins, " +
         std::to_string(c.deletions) + " del, " + std::to_string(c.substitutions) + " sub ]";
}

std::string CaseOf(const std::string& word, LetterCase letter_case) {
  TextNormalizerOptions opts;
  opts.letter_case = letter_case;
  return TextNormalizer(opts).Normalize(word);
}

std::string TableRow(const std::string& name, size_t name_width, int64_t sentences,
                     int64_t sentence_errors, const EditCounts& w) {
  std::string row = "| " + PadRight(name, name_width) + " | " +
                    PadLeft(std::to_string(sentences), 5) + " " +
                    PadLeft(std::to_string(w.ref_tokens), 7) + " |";
  for (const int64_t count : {w.correct, w.substitutions, w.deletions, w.insertions, w.Errors()})
    row += " " + PadLeft(Percent(count, w.ref_tokens), 6);
  return row + " " + PadLeft(Percent(sentence_errors, sentences), 6) + " |\n";
}

void WriteTable(const ScoreReport& report, std::ostream& out) {
  size_t name_width = 7;
  for (const SpeakerScore& s : report.speakers)
    name_width = std::max(name_width, DisplayWidth(s.speaker));
  const std::string header = "| " + PadRight("SPKR", name_width) +
                             " | # Snt   # Wrd |   Corr    Sub    Del    Ins    Err  S.Err |\n";
  const std::string rule = "|" + std::string(name_width + 2, '-') + "+" + std::string(15, '-') +
                           "+" + std::string(43, '-') + "|\n";
  const size_t inner = header.size() - 3;  // between the outer bars
  out << "Percentages of the reference words (S.Err: of the utterances)\n";
  out << "," << std::string(inner, '-') << ".\n" << header << rule;
  for (const SpeakerScore& s : report.speakers)
    out << TableRow(s.speaker, name_width, s.utterances, s.utterances_with_errors, s.words);
  if (!report.speakers.empty()) out << rule;
  out << TableRow("Sum", name_width, static_cast<int64_t>(report.utterances.size()),
                  report.utterances_with_errors, report.words);
  out << "`" << std::string(inner, '-') << "'\n";
}

void WriteErrorList(const std::string& title, const std::vector<ErrorCount>& errors,
                    std::ostream& out) {
  out << title << (errors.empty() ? ": none\n" : ":\n");
  for (const ErrorCount& e : errors) {
    out << PadLeft(std::to_string(e.count), 7) << "  ";
    if (!e.ref.empty() && !e.hyp.empty()) {
      out << e.ref << " ==> " << e.hyp << '\n';
    } else {
      out << (e.ref.empty() ? e.hyp : e.ref) << '\n';
    }
  }
}

void WriteCounts(JsonWriter& json, const EditCounts& c, const std::string& total_key) {
  json.Key(total_key).Int(c.ref_tokens);
  json.Key("correct").Int(c.correct);
  json.Key("substitutions").Int(c.substitutions);
  json.Key("deletions").Int(c.deletions);
  json.Key("insertions").Int(c.insertions);
  json.Key("errors").Int(c.Errors());
}

void WriteErrorsJson(JsonWriter& json, const std::string& key,
                     const std::vector<ErrorCount>& errors) {
  json.Key(key).BeginArray();
  for (const ErrorCount& e : errors) {
    json.BeginObject(true);
    if (!e.ref.empty()) json.Key("ref").String(e.ref);
    if (!e.hyp.empty()) json.Key("hyp").String(e.hyp);
    json.Key("count").Int(e.count);
    json.EndObject();
  }
  json.EndArray();
}

std::string Join(const std::vector<std::string>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) text += (i ? " " : "") + words[i];
  return text;
}

void WriteUtteranceJson(JsonWriter& json, const UtteranceScore& u) {
  json.BeginObject();
  json.Key("id").String(u.id);
  if (!u.speaker.empty()) json.Key("speaker").String(u.speaker);
  if (u.hyp_missing) json.Key("hyp_missing").Bool(true);
  WriteCounts(json, u.words, "words");
  json.Key("wer").Double(u.words.ErrorRate());
  json.Key("characters").Int(u.chars.ref_tokens);
  json.Key("char_errors").Int(u.chars.Errors());
  json.Key("cer").Double(u.chars.ErrorRate());
  json.Key("ref").String(Join(u.ref));
  json.Key("hyp").String(Join(u.hyp));
  // [op, ref word or null, hyp word or null] per column.
  json.Key("alignment").BeginArray(true);
  for (const AlignedPair& p : u.alignment) {
    json.BeginArray();
    json.String(std::string(1, EditOpCode(p.op)));
    if (p.ref >= 0)
      json.String(u.ref[p.ref]);
    else
      json.Null();
    if (p.hyp >= 0)
      json.String(u.hyp[p.hyp]);
    else
      json.Null();
    json.EndArray();
  }
  json.EndArray();
  json.EndObject();
}

}  // namespace

std::string FormatAlignmentBlock(const UtteranceScore& u) {
  const EditCounts& c = u.words;
  std::string ref_line = "REF:  ", hyp_line = "HYP:  ", eval_line = "Eval: ";
  for (const AlignedPair& p : u.alignment) {
    const bool error = p.op != EditOp::kCorrect;
    const LetterCase letter_case = error ? LetterCase::kUpper : LetterCase::kLower;
    std::string ref = p.ref >= 0 ? CaseOf(u.ref[p.ref], letter_case) : "";
    std::string hyp = p.hyp >= 0 ? CaseOf(u.hyp[p.hyp], letter_case) : "";
    const size_t width = std::max(DisplayWidth(ref), DisplayWidth(hyp));
    if (p.ref < 0) ref = std::string(width, '*');
    if (p.hyp < 0) hyp = std::string(width, '*');
    ref_line += PadRight(ref, width) + " ";
    hyp_line += PadRight(hyp, width) + " ";
    eval_line += PadRight(error ? std::string(1, EditOpCode(p.op)) : "", width) + " ";
  }
  const std::string head = "id: (" + u.id + ")\nScores: (#C #S #D #I) " +
                           std::to_string(c.correct) + " " + std::to_string(c.substitutions) + " " +
                           std::to_string(c.deletions) + " " + std::to_string(c.insertions) + "\n";
  if (u.alignment.empty()) return head;  // sclite prints no REF/HYP/Eval lines then
  return head + ref_line + "\n" + hyp_line + "\n" + eval_line + "\n";
}

void WriteScoreSummary(const ScoreReport& report, std::ostream& out) {
  out << RateLine("WER", report.words) << '\n';
  out << RateLine("CER", report.chars) << '\n';
  const int64_t n = static_cast<int64_t>(report.utterances.size());
  out << "%SER " << (n == 0 ? "-" : Format("%.2f", 100.0 * report.utterances_with_errors / n))
      << " [ " << report.utterances_with_errors << " / " << n << " ]\n";
}

void WriteScoreText(const ScoreReport& report, std::ostream& out, const ScoreReportOptions& opts) {
  out << "Scoring mode: " << AlignmentModeName(report.mode)
      << (report.mode == AlignmentMode::kSclite
              ? " (NIST sclite costs: substitution 4, deletion 3, insertion 3)\n"
              : " (Kaldi compute-wer: Levenshtein distance, all costs 1)\n");
  out << "Utterances: " << report.utterances.size() << " (" << report.missing_hypotheses
      << " without hypothesis), reference words: " << report.words.ref_tokens
      << ", characters: " << report.chars.ref_tokens << " (spaces excluded)\n";
  for (const std::string& w : report.warnings) out << "WARNING: " << w << '\n';
  out << '\n';
  WriteScoreSummary(report, out);
  out << '\n';
  WriteTable(report, out);
  out << "\nMost frequent errors\n";
  WriteErrorList("Substitutions (ref ==> hyp)", report.substitutions, out);
  WriteErrorList("Deletions", report.deletions, out);
  WriteErrorList("Insertions", report.insertions, out);
  if (!opts.alignments) return;
  out << "\nAlignments\n\n";
  for (const UtteranceScore& u : report.utterances) {
    out << FormatAlignmentBlock(u);
    if (u.hyp_missing) out << "(no hypothesis)\n";
    out << '\n';
  }
}

void WriteScoreJson(const ScoreReport& report, std::ostream& out) {
  JsonWriter json(out);
  json.BeginObject();
  json.Key("mode").String(AlignmentModeName(report.mode));
  json.Key("num_utterances").Int(static_cast<int64_t>(report.utterances.size()));
  json.Key("missing_hypotheses").Int(report.missing_hypotheses);
  json.Key("utterances_with_errors").Int(report.utterances_with_errors);
  WriteCounts(json, report.words, "words");
  json.Key("wer").Double(report.words.ErrorRate());
  json.Key("characters").Int(report.chars.ref_tokens);
  json.Key("cer").Double(report.chars.ErrorRate());
  json.Key("char_counts").BeginObject(true);
  WriteCounts(json, report.chars, "characters");
  json.EndObject();
  json.Key("speakers").BeginArray();
  for (const SpeakerScore& s : report.speakers) {
    json.BeginObject(true);
    json.Key("speaker").String(s.speaker);
    json.Key("utterances").Int(s.utterances);
    json.Key("utterances_with_errors").Int(s.utterances_with_errors);
    WriteCounts(json, s.words, "words");
    json.Key("wer").Double(s.words.ErrorRate());
    json.Key("characters").Int(s.chars.ref_tokens);
    json.Key("cer").Double(s.chars.ErrorRate());
    json.EndObject();
  }
  json.EndArray();
  json.Key("top_errors").BeginObject();
  WriteErrorsJson(json, "substitutions", report.substitutions);
  WriteErrorsJson(json, "deletions", report.deletions);
  WriteErrorsJson(json, "insertions", report.insertions);
  json.EndObject();
  json.Key("warnings").BeginArray();
  for (const std::string& w : report.warnings) json.String(w);
  json.EndArray();
  json.Key("utterances").BeginArray();
  for (const UtteranceScore& u : report.utterances) WriteUtteranceJson(json, u);
  json.EndArray();
  json.EndObject();
  json.Finish();
}

}  // namespace verbatim
