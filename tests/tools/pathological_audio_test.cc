// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim transcribe` on pathological audio: one sample, the lowest and a
// high sample rate, six channels, clipping, full-scale noise, NaN samples, a
// rate below the supported range, a cut file, and three hours of audio. Each
// gives a transcript (exit status 0) or one clear error line naming the file
// (exit status 1); never a signal. Silence, files without samples and
// missing files are covered by transcribe_command_test.cc.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "base/random.h"
#include "tests/test_util.h"
#include "tests/tools/tiny_experiment.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;
const std::string kVerbatim = "env OMP_WAIT_POLICY=PASSIVE " + std::string(VERBATIM_BINARY);

// `seconds` of a vowel-like harmonic tone in low noise, in [-1, 1].
std::vector<float> Voice(double seconds, int rate, uint64_t seed = 1) {
  Random rng(seed);
  std::vector<float> x(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    double v = 3e-4 * rng.Gaussian();
    for (int h = 1; h <= 3; ++h) v += 0.1 / h * std::sin(2 * M_PI * 150.0 * h * t);
    x[i] = static_cast<float>(v);
  }
  return x;
}

// A model directory trained for two steps on four utterances, once per process.
const std::string& TinyModelDir() {
  static const test::TinyExperiment experiment([] {
    const char* texts[] = {"the cat", "a dog", "the mat", "a cat"};
    std::vector<test::TinyUtterance> utts;
    for (int u = 0; u < 4; ++u) utts.push_back({Voice(1.5, 16000, u), texts[u]});
    test::TinyExperimentOptions o;
    o.utterances = utts;
    o.tokenizer_flags = "--vocab 20 --type char";
    return o;
  }());
  return experiment.model;
}

// Runs transcribe with JSON output to `json`; returns the exit status, which
// must be 0 or 1 (a signal gives -1 or 128 + its number).
int Transcribe(const std::string& audio, const std::string& json, std::string* out) {
  const int status = test::RunCommand(kVerbatim + " transcribe --model " + TinyModelDir() +
                                          " --format json -o " + json + " " + audio,
                                      out);
  INFO(audio << "\n" << *out);
  CHECK((status == 0 || status == 1));
  CHECK(out->find("terminate called") == std::string::npos);
  return status;
}

// Checks a transcript of `duration_s` seconds (to 10 ms) without segments
// past the end.
void CheckTranscript(const std::string& json, double duration_s) {
  const std::string text = test::ReadFile(json);
  INFO(text);
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("\"duration\": ([0-9.e+-]+)")));
  CHECK(std::fabs(std::stod(m[1]) - duration_s) < 0.01);
  const std::regex end("\"end\": ([0-9.e+-]+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), end); it != std::sregex_iterator();
       ++it)
    CHECK(std::stod((*it)[1]) <= duration_s + 1e-6);
}

TEST_CASE("verbatim transcribe survives pathological audio", "[tools][transcribe][pathological]") {
  test::TempDir tmp;
  std::string out;
  struct Good {
    std::string name;
    std::vector<float> samples;  // interleaved
    int rate, channels;
    std::string format;
  };
  std::vector<float> six(Voice(3.0, 16000).size() * 6, 0.0f);
  const std::vector<float> voice16k = Voice(3.0, 16000);
  for (size_t i = 0; i < voice16k.size(); ++i) six[i * 6 + 4] = voice16k[i];  // one channel of six
  std::vector<float> clipped = voice16k;
  for (float& v : clipped) v = std::max(-1.0f, std::min(1.0f, 30.0f * v));
  std::vector<float> noise(3 * 16000);
  Random rng(9);
  for (float& v : noise) v = static_cast<float>(rng.Uniform(-1.0, 1.0));
  const std::vector<Good> good = {
      {"one_sample.wav", {0.25f}, 16000, 1, "wav16"},
      {"two_samples_float.wav", {0.5f, -0.5f}, 16000, 1, "float"},
      {"rate_1000.wav", Voice(3.0, 1000), 1000, 1, "wav16"},
      {"rate_8000.flac", Voice(3.0, 8000), 8000, 1, "flac"},
      {"rate_48000.wav", Voice(3.0, 48000), 48000, 1, "wav16"},
      {"six_channels.wav", six, 16000, 6, "wav16"},
      {"clipped.wav", clipped, 16000, 1, "wav16"},
      {"full_scale_noise.wav", noise, 16000, 1, "float"},
  };
  for (const Good& g : good) {
    INFO(g.name);
    test::WriteAudio(tmp.File(g.name), g.samples, g.rate, g.channels, g.format);
    const std::string json = tmp.File(g.name + ".json");
    CHECK(Transcribe(tmp.File(g.name), json, &out) == 0);
    CheckTranscript(json, static_cast<double>(g.samples.size()) / g.channels / g.rate);
  }

  // Errors: one line naming the file.
  std::vector<float> with_nan = Voice(1.0, 16000);
  with_nan[1234] = std::nanf("");
  test::WriteAudio(tmp.File("nan.wav"), with_nan, 16000, 1, "float");
  test::WriteAudio(tmp.File("rate_400.wav"), Voice(1.0, 400), 400, 1, "wav16");
  test::WriteAudio(tmp.File("whole.wav"), Voice(2.0, 16000), 16000, 1, "wav16");
  const std::string whole = test::ReadFile(tmp.File("whole.wav"));
  std::ofstream(tmp.File("cut.wav"), std::ios::binary) << whole.substr(0, whole.size() / 2);
  const std::pair<std::string, std::string> bad[] = {
      {"nan.wav", "sample 1234 (channel 0) is NaN"},
      {"rate_400.wav", "unsupported sample rate 400 Hz"},
      {"cut.wav", "truncated WAV file"},
  };
  for (const auto& [name, problem] : bad) {
    CHECK(Transcribe(tmp.File(name), tmp.File(name + ".json"), &out) == 1);
    INFO(out);
    CHECK(out.find("verbatim transcribe: error: " + tmp.File(name) + ": " + problem) !=
          std::string::npos);
  }
}

// Three hours at 8 kHz (a 170 MB WAV written here in a few seconds): transcribe
// reads it block by block, so its peak memory stays that of a short file; the
// whole file resampled to 16 kHz would take 690 MB as floats.
TEST_CASE("verbatim transcribe reads three hours of audio in bounded memory",
          "[tools][transcribe][pathological]") {
  if (!test::HaveProgram("/usr/bin/time")) {
    WARN("skipped: /usr/bin/time (Debian package time) measures the peak memory");
    return;
  }
  test::TempDir tmp;
  const int rate = 8000;
  std::vector<float> x(static_cast<size_t>(3 * 3600) * rate);
  Random rng(3);
  for (float& v : x) v = static_cast<float>(rng.Uniform(-2e-3, 2e-3));
  test::WriteAudio(tmp.File("long.wav"), x, rate, 1, "wav16");
  x = std::vector<float>(10 * rate);
  test::WriteAudio(tmp.File("short.wav"), x, rate, 1, "wav16");
  auto peak_kb = [&](const std::string& name) {
    std::string out;
    const int status = test::RunCommand(
        "/usr/bin/time -f 'peak %M KB' " + kVerbatim + " transcribe --model " + TinyModelDir() +
            " --format json -o " + tmp.File(name + ".json") + " " + tmp.File(name),
        &out);
    INFO(out);
    REQUIRE(status == 0);
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("peak ([0-9]+) KB")));
    return std::stol(m[1]);
  };
  const long short_kb = peak_kb("short.wav"), long_kb = peak_kb("long.wav");
  std::cerr << "transcribe peak memory: 10 s " << short_kb / 1024 << " MB, 3 h " << long_kb / 1024
            << " MB\n";
  CheckTranscript(tmp.File("long.wav.json"), 3 * 3600.0);
  CHECK(long_kb < short_kb + 200 * 1024);
}

}  // namespace
}  // namespace verbatim
