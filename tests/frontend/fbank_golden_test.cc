// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Every Kaldi fbank option against torchaudio.compliance.kaldi.fbank, through
// the committed golden files written by tests/golden/make_fbank_golden.py
// (synthetic signals, one torchaudio output per configuration, and a manifest
// listing each configuration's options). No Python and no ../shared needed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/error.h"
#include "frontend/audio_reader.h"
#include "frontend/fbank.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

struct GoldenConfig {
  std::string name;
  std::string wav;  // file name in tests/golden
  FbankOptions opts;
};

bool ParseBool(const std::string& key, const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  throw Error("fbank_configs.txt: bad boolean " + key + "=" + value);
}

// Sets one compute-fbank-feats option; returns false for an unknown key.
bool SetOption(const std::string& key, const std::string& value, FbankOptions* o) {
  FrameExtractionOptions& f = o->frame;
  if (key == "sample-frequency")
    f.sample_frequency = std::stof(value);
  else if (key == "frame-length")
    f.frame_length_ms = std::stof(value);
  else if (key == "frame-shift")
    f.frame_shift_ms = std::stof(value);
  else if (key == "dither")
    f.dither = std::stof(value);
  else if (key == "preemphasis-coefficient")
    f.preemphasis_coefficient = std::stof(value);
  else if (key == "remove-dc-offset")
    f.remove_dc_offset = ParseBool(key, value);
  else if (key == "window-type")
    f.window_type = ParseWindowType(value);
  else if (key == "round-to-power-of-two")
    f.round_to_power_of_two = ParseBool(key, value);
  else if (key == "blackman-coeff")
    f.blackman_coeff = std::stof(value);
  else if (key == "snip-edges")
    f.snip_edges = ParseBool(key, value);
  else if (key == "num-mel-bins")
    o->mel.num_bins = std::stoi(value);
  else if (key == "low-freq")
    o->mel.low_freq = std::stof(value);
  else if (key == "high-freq")
    o->mel.high_freq = std::stof(value);
  else if (key == "use-energy")
    o->use_energy = ParseBool(key, value);
  else if (key == "energy-floor")
    o->energy_floor = std::stof(value);
  else if (key == "raw-energy")
    o->raw_energy = ParseBool(key, value);
  else if (key == "htk-compat")
    o->htk_compat = ParseBool(key, value);
  else if (key == "use-log-fbank")
    o->use_log_fbank = ParseBool(key, value);
  else if (key == "use-power")
    o->use_power = ParseBool(key, value);
  else
    return false;
  return true;
}

// Reads tests/golden/fbank_configs.txt; every line must set all 19 options.
std::vector<GoldenConfig> ReadConfigs() {
  const std::string path = test::GoldenDir() + "/fbank_configs.txt";
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<GoldenConfig> configs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream tokens(line);
    GoldenConfig c;
    tokens >> c.name;
    int num_options = 0;
    std::string token;
    while (tokens >> token) {
      const size_t eq = token.find('=');
      REQUIRE(eq != std::string::npos);
      const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
      INFO(c.name << ": " << token);
      if (key == "wav") {
        c.wav = value;
      } else {
        REQUIRE(SetOption(key, value, &c.opts));
        ++num_options;
      }
    }
    INFO(c.name);
    REQUIRE(!c.wav.empty());
    REQUIRE(num_options == 19);
    configs.push_back(c);
  }
  return configs;
}

// Log of the mel columns of a linear-output matrix, floored like the log
// path (Kaldi floors at float epsilon before the log), so that linear
// outputs spanning 1e-7 .. 1e12 are compared by relative error.
FeatureMatrix LogOfMelColumns(FeatureMatrix m, const FbankOptions& o) {
  const int energy_col = o.use_energy ? (o.htk_compat ? o.mel.num_bins : 0) : -1;
  for (int t = 0; t < m.num_frames; ++t) {
    for (int d = 0; d < m.dim; ++d) {
      if (d == energy_col) continue;
      m(t, d) = std::log(std::max(m(t, d), std::numeric_limits<float>::epsilon()));
    }
  }
  return m;
}

// Mean and max |diff| over the "loud" cells: the energy column and the mel
// cells within 10 nats (power; 5 for magnitude) of their frame's loudest mel
// cell. Elsewhere float32 rounding of the FFT dominates (see below).
struct LoudDiff {
  double mean_abs = 0.0;
  double max_abs = 0.0;
  int count = 0;
};

LoudDiff CompareLoudCells(const FeatureMatrix& ours, const FeatureMatrix& ref,
                          const FbankOptions& o) {
  const int energy_col = o.use_energy ? (o.htk_compat ? o.mel.num_bins : 0) : -1;
  const float range = o.use_power ? 10.0f : 5.0f;
  LoudDiff d;
  for (int t = 0; t < ref.num_frames; ++t) {
    float row_max = -std::numeric_limits<float>::infinity();
    for (int c = 0; c < ref.dim; ++c)
      if (c != energy_col) row_max = std::max(row_max, ref(t, c));
    for (int c = 0; c < ref.dim; ++c) {
      if (c != energy_col && ref(t, c) < row_max - range) continue;
      const double diff = std::fabs(double(ours(t, c)) - ref(t, c));
      d.mean_abs += diff;
      d.max_abs = std::max(d.max_abs, diff);
      ++d.count;
    }
  }
  if (d.count > 0) d.mean_abs /= d.count;
  return d;
}

// Tolerances, from measurement (Verbatim works in float32 like Kaldi; the
// reference is float64):
// * All cells: mean <= 1.5e-4, max <= 1.2e-2. The worst cells are quiet mel
//   bins 40..60 dB below their frame's peak (narrow low filters of the 80
//   and 128 bin configs, low-sidelobe windows), where float32 FFT rounding
//   is a sizeable part of the energy. torchaudio's own float32 path differs
//   from its float64 output by as much (worst: mean 1.6e-4, max 1.3e-2).
//   Measured worst: mean 1.3e-4 (bins128_len50), max 9.6e-3.
// * Loud cells: mean <= 2e-5, max <= 3e-4 (measured: mean <= 1.4e-5, max
//   <= 2.0e-4). Exception: low300 (measured: mean 4.1e-5, max 2.9e-3; bounds
//   6e-5 and 4e-3). There a 4800 Hz tone sits in the first FFT bin of mel
//   filter 19, whose weight there is only 4.5e-4; torchaudio computes the
//   filter edges from double-precision mel values, Verbatim (like Kaldi) in
//   float, so that weight differs by 0.5% and the column by 1.7e-3 on
//   average. With the filters computed in float the Kaldi way, the column
//   agrees to 1.5e-4.
// Configurations that guard past fixes: sr11025_len30.839 (frame length in
// samples computed in double, as Kaldi does) and sr11025_nopow2_odd (odd FFT
// length: the last FFT bin, below Nyquist, feeds the top mel filter).
TEST_CASE("fbank matches torchaudio for every Kaldi option", "[fbank][golden]") {
  const std::vector<GoldenConfig> configs = ReadConfigs();
  auto reference = test::ReadArchive(test::GoldenDir() + "/fbank_torchaudio.ark.txt");
  REQUIRE(configs.size() >= 40);
  REQUIRE(reference.size() == configs.size());

  std::map<std::string, Waveform> waves;
  for (const GoldenConfig& c : configs) {
    INFO("config " << c.name);
    REQUIRE(reference.count(c.name) == 1);
    if (!waves.count(c.wav)) {
      AudioReadOptions read_opts;
      read_opts.sample_rate_hz = 0;  // the file's own rate, no resampling
      waves[c.wav] = ReadAudio(test::GoldenDir() + "/" + c.wav, read_opts);
    }
    const Waveform& wave = waves[c.wav];
    REQUIRE(wave.sample_rate_hz == static_cast<int>(c.opts.frame.sample_frequency));

    Fbank fbank(c.opts);
    FeatureMatrix ours = fbank.Compute(wave.samples);
    FeatureMatrix ref = reference[c.name];
    if (!c.opts.use_log_fbank) {
      ours = LogOfMelColumns(ours, c.opts);
      ref = LogOfMelColumns(ref, c.opts);
    }
    const test::MatrixDiff all = test::CompareMatrices(ours, ref);
    const LoudDiff loud = CompareLoudCells(ours, ref, c.opts);
    INFO(ours.num_frames << " x " << ours.dim << ": all cells mean |diff| " << all.mean_abs
                         << ", max " << all.max_abs << "; " << loud.count << " loud cells mean "
                         << loud.mean_abs << ", max " << loud.max_abs);
    CHECK(all.mean_abs <= 1.5e-4);
    CHECK(all.max_abs <= 1.2e-2);
    REQUIRE(loud.count >= ours.num_frames * ours.dim / 4);
    const bool edge_case = c.name == "low300";
    CHECK(loud.mean_abs <= (edge_case ? 6e-5 : 2e-5));
    CHECK(loud.max_abs <= (edge_case ? 4e-3 : 3e-4));
  }
}

FbankOptions DefaultOptions() {
  FbankOptions o;
  o.frame.dither = 0.0f;
  return o;
}

void RequireThrowsMentioning(const FbankOptions& o, const std::string& text) {
  INFO("expected an Error mentioning '" << text << "'");
  REQUIRE_THROWS_AS(Fbank(o), Error);
  REQUIRE_THROWS_WITH(Fbank(o), Catch::Contains(text));
}

TEST_CASE("fbank rejects bad options with a clear message", "[fbank][golden]") {
  SECTION("too many mel bins for the FFT") {
    FbankOptions o = DefaultOptions();
    o.mel.num_bins = 200;  // 512-point FFT: the low filters fall between FFT bins
    RequireThrowsMentioning(o, "too many mel bins");
  }
  SECTION("too few mel bins") {
    FbankOptions o = DefaultOptions();
    o.mel.num_bins = 2;
    RequireThrowsMentioning(o, "at least 3");
  }
  SECTION("low-freq not below high-freq") {
    FbankOptions o = DefaultOptions();
    o.mel.low_freq = 4000.0f;
    o.mel.high_freq = 3000.0f;
    RequireThrowsMentioning(o, "bad mel frequency range");
    o.mel.high_freq = 4000.0f;
    RequireThrowsMentioning(o, "bad mel frequency range");
    o.mel.low_freq = 300.0f;
    o.mel.high_freq = -7800.0f;  // Nyquist - 7800 Hz = 200 Hz
    RequireThrowsMentioning(o, "bad mel frequency range");
  }
  SECTION("negative low-freq") {
    FbankOptions o = DefaultOptions();
    o.mel.low_freq = -10.0f;
    RequireThrowsMentioning(o, "bad mel frequency range");
  }
  SECTION("high-freq above Nyquist") {
    FbankOptions o = DefaultOptions();
    o.mel.high_freq = 8000.5f;
    RequireThrowsMentioning(o, "Nyquist");
    o.frame.sample_frequency = 8000.0f;
    o.mel.high_freq = 6000.0f;
    RequireThrowsMentioning(o, "Nyquist");
  }
  SECTION("negative or zero frame shift") {
    FbankOptions o = DefaultOptions();
    o.frame.frame_shift_ms = -10.0f;
    RequireThrowsMentioning(o, "frame shift");
    o.frame.frame_shift_ms = 0.0f;
    RequireThrowsMentioning(o, "frame shift");
  }
  SECTION("frame shorter than two samples") {
    FbankOptions o = DefaultOptions();
    o.frame.frame_length_ms = 0.0f;
    RequireThrowsMentioning(o, "frame length");
  }
  SECTION("pre-emphasis outside [0, 1]") {
    FbankOptions o = DefaultOptions();
    o.frame.preemphasis_coefficient = 1.5f;
    RequireThrowsMentioning(o, "preemphasis");
  }
  SECTION("negative energy floor") {
    FbankOptions o = DefaultOptions();
    o.energy_floor = -1.0f;
    RequireThrowsMentioning(o, "energy floor");
  }
  SECTION("unknown window name") {
    REQUIRE_THROWS_AS(ParseWindowType("hann"), Error);
    REQUIRE_THROWS_WITH(ParseWindowType("hann"), Catch::Contains("unknown window type 'hann'"));
    REQUIRE_THROWS_WITH(ParseWindowType(""), Catch::Contains("unknown window type"));
    for (const char* name : {"povey", "hamming", "hanning", "rectangular", "blackman", "sine"})
      CHECK(WindowTypeName(ParseWindowType(name)) == name);
  }
}

}  // namespace
}  // namespace verbatim
