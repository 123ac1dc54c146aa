// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim transcribe` end to end on a tiny model trained for two steps
// (its words are noise; these tests check the plumbing): segments where the
// audio has speech-like bursts, every output format parsed back and checked
// against the JSON, silence, empty files, several files and long files.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/random.h"
#include "tests/test_util.h"
#include "tests/tools/tiny_experiment.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

struct Burst {
  double begin_s, end_s;
};

// `channels` identical channels of low noise with bursts of a vowel-like
// harmonic tone (about -14 dBFS), in [-1, 1].
std::vector<float> BurstAudio(double total_s, const std::vector<Burst>& bursts, int rate,
                              int channels = 1, uint64_t seed = 1) {
  Random rng(seed);
  const int64_t n = static_cast<int64_t>(total_s * rate);
  std::vector<float> x(n * channels);
  for (int64_t i = 0; i < n; ++i) {
    double v = 3e-4 * rng.Gaussian();
    const double t = static_cast<double>(i) / rate;
    for (const Burst& b : bursts)
      if (t >= b.begin_s && t < b.end_s)
        for (int h = 1; h <= 3; ++h) v += 0.1 / h * std::sin(2 * M_PI * 150.0 * h * t);
    for (int c = 0; c < channels; ++c) x[i * channels + c] = static_cast<float>(v);
  }
  return x;
}

// A model directory trained for two steps on eight synthetic utterances:
// built once per test run (about half a minute).
const std::string& TinyModelDir() {
  static const test::TinyExperiment experiment([] {
    static const char* kWords[] = {"the", "cat", "sat", "on", "a", "mat", "dog", "ran"};
    std::vector<test::TinyUtterance> utts;
    for (int u = 0; u < 8; ++u)
      utts.push_back({BurstAudio(2.0, {{0.3, 1.7}}, 16000, 1, u),
                      std::string(kWords[u]) + " " + kWords[(u + 3) % 8]});
    test::TinyExperimentOptions o;
    o.utterances = utts;
    o.tokenizer_flags = "--vocab 20 --type char";
    return o;
  }());
  return experiment.model;
}

std::string Transcribe(const std::string& args, int* status = nullptr) {
  std::string out;
  const int rc = test::RunCommand(
      "OMP_WAIT_POLICY=PASSIVE " + kVerbatim + " transcribe --model " + TinyModelDir() + " " + args,
      &out);
  if (status)
    *status = rc;
  else
    REQUIRE(rc == 0);
  return out;
}

// Checks a transcribe JSON file with Python's own parser: the structure,
// times in order and within the file, words inside their segments, words
// making up the segment text, confidences in [0, 1], n-best sorted. Extra
// checks (Python statements on `d`) are appended.
void CheckJson(const std::string& path, const std::string& extra = "") {
  if (!test::HaveProgram("python3")) return;
  const std::string script = path + ".check.py";
  WriteFile(script,
            "import json, sys\n"
            "d = json.load(open(sys.argv[1]))\n"
            "for f in d['files']:\n"
            "    last = 0.0\n"
            "    for s in f['segments']:\n"
            "        assert last - 1e-9 <= s['start'] < s['end'] <= f['duration'] + 1e-6, s\n"
            "        last = s['end']\n"
            "        assert s['text'] == (s['nbest'][0]['text'] if s['nbest'] else ''), s\n"
            "        assert ' '.join(w['word'] for w in s['words']) == s['text'], s\n"
            "        scores = [h['score'] for h in s['nbest']]\n"
            "        assert scores == sorted(scores, reverse=True), s\n"
            "        for h in s['nbest']:\n"
            "            assert h['ctc_score'] <= 0 and h['attention_score'] <= 0, h\n"
            "        t = s['start']\n"
            "        for w in s['words']:\n"
            "            assert t - 1e-9 <= w['start'] <= w['end'] <= s['end'] + 1e-9, (w, s)\n"
            "            assert 0 <= w['confidence'] <= 1, w\n"
            "            t = w['end']\n"
            "    assert f['text'] == ' '.join(s['text'] for s in f['segments'] if s['text'])\n" +
                extra + "print('json ok')\n");
  std::string out;
  INFO(test::ReadFile(path));
  CHECK(test::RunCommand("python3 " + script + " " + path, &out) == 0);
  INFO(out);
  CHECK(out.find("json ok") != std::string::npos);
}

TEST_CASE("verbatim transcribe finds the bursts of a resampled stereo file",
          "[tools][transcribe]") {
  test::TempDir tmp;
  const std::string wav = tmp.File("stereo8k.wav");
  test::WriteAudio(wav, BurstAudio(11.0, {{1.0, 2.5}, {4.0, 4.6}, {7.0, 9.5}}, 8000, 2), 8000, 2);
  Transcribe("--format json --search ctc_greedy -o " + tmp.File("out.json") + " " + wav);
  // Default padding 0.2 s; 20 ms VAD frames.
  CheckJson(tmp.File("out.json"),
            "f = d['files'][0]\n"
            "assert abs(f['duration'] - 11.0) < 0.01, f['duration']\n"
            "want = [(0.8, 2.7), (3.8, 4.8), (6.8, 9.7)]\n"
            "got = [(s['start'], s['end']) for s in f['segments']]\n"
            "assert len(got) == 3, got\n"
            "for (a, b), (c, e) in zip(want, got):\n"
            "    assert abs(a - c) < 0.05 and abs(b - e) < 0.05, got\n"
            "assert all(s['aligned'] for s in f['segments'])\n"
            "assert f['text'], 'the tiny model said nothing'\n");
}

TEST_CASE("verbatim transcribe formats agree with the JSON", "[tools][transcribe]") {
  test::TempDir tmp;
  const std::string wav = tmp.File("talk.flac");
  test::WriteAudio(wav, BurstAudio(30.0, {{0.5, 12.0}, {14.0, 15.0}, {20.0, 29.0}}, 16000), 16000,
                   1, "flac");
  const std::string common = "--search ctc_greedy --max-segment 8 " + wav;
  Transcribe("--format json -o " + tmp.File("t.json") + " " + common);
  for (const std::string format : {"text", "ctm", "srt", "vtt"}) {
    const std::string ext = format == "text" ? "txt" : format;
    Transcribe("--format " + format + " -o " + tmp.File("t." + ext) + " " + common);
  }
  CheckJson(tmp.File("t.json"),
            "import re\n"
            "f = d['files'][0]\n"
            "words = [w for s in f['segments'] for w in s['words']]\n"
            "assert words\n"
            "assert all(s['end'] - s['start'] <= 8 + 1e-6 for s in f['segments'])\n"
            "text = open(sys.argv[1][:-4] + 'txt').read()\n"
            "assert text == f['text'] + '\\n', (text, f['text'])\n"
            "ctm = [l.split() for l in open(sys.argv[1][:-4] + 'ctm').read().splitlines()]\n"
            "assert len(ctm) == len(words), (len(ctm), len(words))\n"
            "for c, w in zip(ctm, words):\n"
            "    assert len(c) == 6 and c[0] == 'talk' and c[1] == '1', c\n"
            "    assert abs(float(c[2]) - w['start']) < 1e-3 and c[4] == w['word'], (c, w)\n"
            "    assert abs(float(c[3]) - (w['end'] - w['start'])) < 2e-3, (c, w)\n"
            "    assert abs(float(c[5]) - w['confidence']) < 1e-3, (c, w)\n"
            "def cues(path, sep):\n"
            "    t = r'(\\d\\d):(\\d\\d):(\\d\\d)' + sep + r'(\\d\\d\\d)'\n"
            "    pat = re.compile(t + ' --> ' + t)\n"
            "    out, blocks = [], open(path).read().strip().split('\\n\\n')\n"
            "    for b in blocks:\n"
            "        lines = b.split('\\n')\n"
            "        if lines[0] == 'WEBVTT': continue\n"
            "        if sep == ',': assert lines.pop(0) == str(len(out) + 1), b\n"
            "        m = pat.fullmatch(lines[0])\n"
            "        assert m, lines[0]\n"
            "        v = [int(x) for x in m.groups()]\n"
            "        s = v[0] * 3600 + v[1] * 60 + v[2] + v[3] / 1000\n"
            "        e = v[4] * 3600 + v[5] * 60 + v[6] + v[7] / 1000\n"
            "        assert all(len(l) <= 42 for l in lines[1:] if ' ' in l) and len(lines) <= 3\n"
            "        out.append((s, e, ' '.join(lines[1:])))\n"
            "    return out\n"
            "for path, sep in ((sys.argv[1][:-4] + 'srt', ','), (sys.argv[1][:-4] + 'vtt', '.')):\n"
            "    c = cues(path, sep)\n"
            "    assert ' '.join(x[2] for x in c).split() == [w['word'] for w in words], path\n"
            "    last = 0\n"
            "    for s, e, t in c:\n"
            "        assert last <= s < e and (e - s <= 7.001 or ' ' not in t), (path, c)\n"
            "        last = e\n"
            "assert open(sys.argv[1][:-4] + 'vtt').read().startswith('WEBVTT\\n')\n");
}

TEST_CASE("verbatim transcribe n-best of the joint search", "[tools][transcribe]") {
  test::TempDir tmp;
  const std::string wav = tmp.File("a.wav");
  test::WriteAudio(wav, BurstAudio(4.0, {{0.5, 3.0}}, 16000), 16000, 1);
  Transcribe("--format json --beam 4 --nbest 3 --ctc-weight 0.5 -o " + tmp.File("a.json") + " " +
             wav);
  CheckJson(tmp.File("a.json"),
            "s = d['files'][0]['segments']\n"
            "assert len(s) == 1 and 1 <= len(s[0]['nbest']) <= 3, s\n");
}

TEST_CASE("verbatim transcribe gives empty transcripts for silence", "[tools][transcribe]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("zeros.wav"), std::vector<float>(5 * 16000, 0.0f), 16000, 1);
  test::WriteAudio(tmp.File("noise.wav"), BurstAudio(20.0, {}, 16000), 16000, 1);
  std::string out = Transcribe(tmp.File("zeros.wav") + " 2>/dev/null");
  CHECK(out == "\n");
  out = Transcribe(tmp.File("zeros.wav") + " " + tmp.File("noise.wav") + " 2>/dev/null");
  CHECK(out == "zeros\nnoise\n");
  Transcribe("--format json -o " + tmp.File("n.json") + " " + tmp.File("noise.wav"));
  CheckJson(tmp.File("n.json"), "assert d['files'][0]['segments'] == []\n");
}

TEST_CASE("verbatim transcribe errors name the file", "[tools][transcribe]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("empty.wav"), {}, 16000, 1);
  int status = 0;
  std::string out = Transcribe(tmp.File("empty.wav"), &status);
  CHECK(status != 0);
  CHECK(out.find("error: " + tmp.File("empty.wav") + ": no audio samples") != std::string::npos);
  out = Transcribe(tmp.File("missing.wav"), &status);
  CHECK(status != 0);
  CHECK(out.find(tmp.File("missing.wav") + ": no such file") != std::string::npos);
  out = Transcribe("--format doc " + tmp.File("empty.wav"), &status);
  CHECK(status != 0);
  CHECK(out.find("unknown transcript format 'doc'") != std::string::npos);
}

TEST_CASE("verbatim transcribe writes several files", "[tools][transcribe]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("a.wav"), BurstAudio(3.0, {{0.5, 2.5}}, 16000, 1, 5), 16000, 1);
  test::WriteAudio(tmp.File("b.wav"), BurstAudio(3.0, {{1.0, 2.0}}, 16000, 1, 6), 16000, 1);
  const std::string files = tmp.File("a.wav") + " " + tmp.File("b.wav");
  int status = 0;
  const std::string out = Transcribe("--format srt " + files, &status);
  CHECK(status != 0);
  CHECK(out.find("--output-dir") != std::string::npos);
  Transcribe("--search ctc_greedy --format srt --output-dir " + tmp.File("subs") + " " + files);
  CHECK(test::ReadFile(tmp.File("subs/a.srt")).rfind("1\n00:00:0", 0) == 0);
  CHECK(test::ReadFile(tmp.File("subs/b.srt")).rfind("1\n00:00:0", 0) == 0);
  // Text lines per file in Kaldi's format, equal to the single-file transcripts.
  const auto lines = Lines(Transcribe("--search ctc_greedy " + files + " 2>/dev/null"));
  REQUIRE(lines.size() == 2);
  const std::string a = Lines(Transcribe("--search ctc_greedy " + tmp.File("a.wav")))[0];
  CHECK(lines[0] == "a" + std::string(a.empty() ? "" : " ") + a);
  CHECK(lines[1].rfind("b", 0) == 0);
}

TEST_CASE("verbatim transcribe cuts long files and batches segments alike", "[tools][transcribe]") {
  test::TempDir tmp;
  // Five minutes of bursts of 4 to 30 s with 1 s pauses, at 22.05 kHz.
  std::vector<Burst> bursts;
  Random rng(11);
  for (double t = 1.0; t < 295.0;) {
    const double end = std::min(299.0, t + rng.Uniform(4.0, 30.0));
    bursts.push_back({t, end});
    t = end + 1.0;
  }
  test::WriteAudio(tmp.File("long.wav"), BurstAudio(300.0, bursts, 22050), 22050, 1);
  std::string log;
  log =
      Transcribe("--verbose --search ctc_greedy --batch-size 3 --max-segment 12 --format json -o " +
                 tmp.File("b3.json") + " " + tmp.File("long.wav"));
  CHECK(
      std::regex_search(log, std::regex(R"(long\.wav: \d+ segments .*real-time factor [0-9.]+)")));
  CHECK(log.find("[#") == std::string::npos);  // no progress bar when stderr is not a terminal
  Transcribe("--search ctc_greedy --batch-size 1 --max-segment 12 --format json -o " +
             tmp.File("b1.json") + " " + tmp.File("long.wav"));
  CheckJson(
      tmp.File("b3.json"),
      "f = d['files'][0]\n"
      "assert abs(f['duration'] - 300) < 0.01\n"
      "assert len(f['segments']) >= " +
          std::to_string(bursts.size()) +
          "\n"
          "assert all(s['end'] - s['start'] <= 12 + 1e-6 for s in f['segments'])\n"
          "d1 = json.load(open(sys.argv[1].replace('b3', 'b1')))['files'][0]\n"
          "assert [s['start'] for s in d1['segments']] == [s['start'] for s in f['segments']]\n"
          "assert d1['text'] == f['text']\n");
}

}  // namespace
}  // namespace verbatim
