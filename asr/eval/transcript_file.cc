// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/eval/transcript_file.h"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "base/error.h"

namespace verbatim {
namespace {

// The words of `text`, joined by single spaces.
std::string JoinWords(const std::string& text) {
  std::istringstream in(text);
  std::string word, joined;
  while (in >> word) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

Transcript ParseKaldiLine(const std::string& line) {
  const size_t split = line.find_first_of(" \t");
  if (split == std::string::npos) return {line, "", 0};
  return {line.substr(0, split), JoinWords(line.substr(split)), 0};
}

Transcript ParseTrnLine(const std::string& line, const std::string& where) {
  const size_t open = line.rfind('(');
  Check(line.back() == ')' && open != std::string::npos && open + 2 < line.size(),
        where + ": expected 'words (utterance-id)', got '" + line + "'");
  const std::string id = Trim(line.substr(open + 1, line.size() - open - 2));
  Check(!id.empty() && id.find_first_of(" \t") == std::string::npos,
        where + ": bad utterance id in '" + line + "'");
  return {id, JoinWords(line.substr(0, open)), 0};
}

}  // namespace

std::string TranscriptFormatName(TranscriptFormat format) {
  switch (format) {
    case TranscriptFormat::kAuto:
      return "auto";
    case TranscriptFormat::kKaldiText:
      return "text";
    case TranscriptFormat::kTrn:
      return "trn";
  }
  return "?";
}

TranscriptFormat ParseTranscriptFormat(const std::string& name) {
  if (name == "auto") return TranscriptFormat::kAuto;
  if (name == "text") return TranscriptFormat::kKaldiText;
  if (name == "trn") return TranscriptFormat::kTrn;
  throw Error("unknown transcript format '" + name + "' (expected auto, text or trn)");
}

TranscriptFormat DetectTranscriptFormat(const std::string& path) {
  const std::string suffix = ".trn";
  const bool trn = path.size() >= suffix.size() &&
                   path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  return trn ? TranscriptFormat::kTrn : TranscriptFormat::kKaldiText;
}

std::vector<Transcript> ParseTranscripts(const std::string& content, TranscriptFormat format,
                                         const std::string& name) {
  if (format == TranscriptFormat::kAuto) format = DetectTranscriptFormat(name);
  std::vector<Transcript> transcripts;
  std::unordered_map<std::string, int> first_line;
  std::istringstream in(content);
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    const std::string line = Trim(raw);
    if (line.empty()) continue;
    const std::string where = name + ": line " + std::to_string(number);
    Transcript t =
        format == TranscriptFormat::kTrn ? ParseTrnLine(line, where) : ParseKaldiLine(line);
    t.line = number;
    const auto inserted = first_line.emplace(t.id, number);
    Check(inserted.second, where + ": duplicated utterance id '" + t.id + "' (first on line " +
                               std::to_string(inserted.first->second) + ")");
    transcripts.push_back(std::move(t));
  }
  return transcripts;
}

std::vector<Transcript> ReadTranscripts(const std::string& path, TranscriptFormat format) {
  std::ifstream in(path, std::ios::binary);
  Check(static_cast<bool>(in), path + ": cannot open");
  std::ostringstream content;
  content << in.rdbuf();
  Check(!in.bad(), path + ": read error");
  if (format == TranscriptFormat::kAuto) format = DetectTranscriptFormat(path);
  return ParseTranscripts(content.str(), format, path);
}

}  // namespace verbatim
