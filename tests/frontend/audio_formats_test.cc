// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Reading every supported format at Kaldi's 16-bit integer scale, channel
// mixdown and selection, segments, decoding from memory, and the real FLAC
// files of ../shared.
#include <sndfile.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "base/error.h"
#include "base/random.h"
#include "frontend/audio_reader.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

// Writes 32-bit integer samples with libsndfile. It narrows them to the
// file's sample size by shifting (16-bit: v >> 16), which is exact for values
// with zero low bits, so the file holds exactly the integers we mean.
// (Writing floats would not do: libsndfile scales floats by 32767, not 32768.)
void WriteInts(const std::string& path, const std::vector<int32_t>& interleaved, int rate,
               int channels, int format) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  REQUIRE(f != nullptr);
  const sf_count_t frames = static_cast<sf_count_t>(interleaved.size() / channels);
  REQUIRE(sf_writef_int(f, interleaved.data(), frames) == frames);
  sf_close(f);
}

// `n` random integers of `bits` bits (full range, both extremes included),
// left-justified in 32 bits.
std::vector<int32_t> RandomInts(int bits, size_t n, uint64_t seed) {
  Random random(seed);
  const int64_t top = (int64_t{1} << (bits - 1)) - 1;
  std::vector<int32_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t k = random.UniformInt(-top - 1, top);
    if (i == 0) k = -top - 1;
    if (i == 1) k = top;
    v[i] = static_cast<int32_t>(k * (int64_t{1} << (32 - bits)));
  }
  return v;
}

// File name extension for a test::WriteAudio format.
std::string Extension(const std::string& format) {
  return format == "flac" ? ".flac" : format == "ogg" ? ".ogg" : ".wav";
}

std::vector<char> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("16-bit WAV and FLAC read as exact integers", "[audio]") {
  test::TempDir tmp;
  const std::vector<int32_t> ints = RandomInts(16, 20000, 1);
  for (int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_FLAC | SF_FORMAT_PCM_16}) {
    const std::string path = tmp.File((format & SF_FORMAT_FLAC) ? "a.flac" : "a.wav");
    WriteInts(path, ints, 16000, 1, format);
    Waveform wave = ReadAudio(path);  // default options: 16 kHz out, so no resampling
    REQUIRE(wave.sample_rate_hz == 16000);
    REQUIRE(wave.samples.size() == ints.size());
    size_t mismatches = 0;
    for (size_t i = 0; i < ints.size(); ++i)
      if (wave.samples[i] != static_cast<float>(ints[i] >> 16)) ++mismatches;
    INFO(path);
    CHECK(mismatches == 0);
    CHECK(wave.samples[0] == -32768.0f);
    CHECK(wave.samples[1] == 32767.0f);
  }
}

TEST_CASE("8-, 24- and 32-bit PCM and float WAV read at the 16-bit scale", "[audio]") {
  test::TempDir tmp;
  struct Case {
    const char* name;
    int format;
    int bits;
    double tolerance;  // 16-bit units
  };
  // Expected value: the stored integer v (left-justified in 32 bits) is
  // v / 2^31 of full scale, i.e. v / 65536 in 16-bit units. 32-bit PCM loses
  // precision in the float conversion (24-bit mantissa).
  const Case cases[] = {{"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8, 0.0},
                        {"s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 24, 0.0},
                        {"s32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 32, 32768.0 / (1 << 23)},
                        {"s24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 24, 0.0}};
  for (const Case& c : cases) {
    const std::vector<int32_t> ints = RandomInts(c.bits, 5000, 2);
    const std::string path = tmp.File(c.name);
    WriteInts(path, ints, 16000, 1, c.format);
    Waveform wave = ReadAudio(path);
    REQUIRE(wave.samples.size() == ints.size());
    double max_err = 0;
    for (size_t i = 0; i < ints.size(); ++i)
      max_err = std::max(max_err, std::fabs(wave.samples[i] - ints[i] / 65536.0));
    INFO(c.name << ": max error " << max_err);
    CHECK(max_err <= c.tolerance);
    CHECK(wave.samples[0] == -32768.0f);
  }

  SECTION("float WAV: x in [-1, 1] reads as 32768 x") {
    Random random(3);
    std::vector<float> x(5000);
    for (float& v : x) v = static_cast<float>(random.Uniform(-1.0, 1.0));
    x[0] = -1.0f;
    x[1] = 1.0f;
    const std::string path = tmp.File("f.wav");
    test::WriteAudio(path, x, 16000, 1, "float");
    Waveform wave = ReadAudio(path);
    REQUIRE(wave.samples.size() == x.size());
    for (size_t i = 0; i < x.size(); ++i) REQUIRE(wave.samples[i] == x[i] * 32768.0f);
  }
}

TEST_CASE("WriteAudio files of every format read back at the 16-bit scale", "[audio]") {
  test::TempDir tmp;
  const std::vector<float> x = test::Sine(440.0, 16000, 16000, 0.5);
  // Tolerance in 16-bit units: half a step of the format, plus libsndfile's
  // float-to-integer scaling by 2^(bits-1) - 1 rather than 2^(bits-1) (at
  // amplitude 0.5: 128 units at 8 bits, 0.5 at 16 bits).
  const std::pair<const char*, double> formats[] = {{"wav8", 128 + 128 + 0.01},
                                                    {"wav16", 0.5 + 0.5 + 0.01},
                                                    {"wav24", 0.01},
                                                    {"wav32", 0.01},
                                                    {"float", 0.0},
                                                    {"flac", 0.5 + 0.5 + 0.01}};
  for (const auto& f : formats) {
    const std::string path = tmp.File(f.first + Extension(f.first));
    test::WriteAudio(path, x, 16000, 1, f.first);
    Waveform wave = ReadAudio(path);
    REQUIRE(wave.samples.size() == x.size());
    double max_err = 0;
    for (size_t i = 0; i < x.size(); ++i)
      max_err = std::max(max_err, std::fabs(wave.samples[i] - 32768.0 * x[i]));
    INFO(f.first << ": max error " << max_err << " (16-bit units)");
    CHECK(max_err <= f.second);
  }
}

TEST_CASE("OGG/Vorbis round trip keeps length and waveform", "[audio]") {
  test::TempDir tmp;
  // Speech-band content: a few tones and some noise, 2 s at 16 kHz.
  const int n = 32000;
  Random random(4);
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i)
    x[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * 220 * i / 16000.0) +
                              0.2 * std::sin(2 * M_PI * 1375 * i / 16000.0 + 1) +
                              0.05 * random.Gaussian());
  const std::string path = tmp.File("a.ogg");
  test::WriteAudio(path, x, 16000, 1, "ogg");
  AudioInfo info = ReadAudioInfo(path);
  CHECK(info.format == "OGG VORBIS");
  Waveform wave = ReadAudio(path);
  REQUIRE(wave.samples.size() == x.size());
  double signal = 0, error = 0, dot = 0, yy = 0;
  for (int i = 0; i < n; ++i) {
    const double ref = 32768.0 * x[i], y = wave.samples[i];
    signal += ref * ref;
    error += (y - ref) * (y - ref);
    dot += ref * y;
    yy += y * y;
  }
  const double snr_db = 10 * std::log10(signal / error);
  const double correlation = dot / std::sqrt(signal * yy);
  INFO("Vorbis SNR " << snr_db << " dB, correlation " << correlation);
  CHECK(snr_db > 15.0);
  CHECK(correlation > 0.99);
}

TEST_CASE("ReadAudioInfo reports format, rate, channels and length", "[audio]") {
  test::TempDir tmp;
  const std::vector<int32_t> ints = RandomInts(16, 3 * 4410, 5);
  WriteInts(tmp.File("a.wav"), ints, 44100, 3, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  WriteInts(tmp.File("a.flac"), ints, 44100, 3, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  AudioInfo wav = ReadAudioInfo(tmp.File("a.wav"));
  CHECK(wav.format == "WAV PCM_16");
  CHECK(wav.sample_rate_hz == 44100);
  CHECK(wav.num_channels == 3);
  CHECK(wav.num_frames == 4410);
  CHECK(wav.DurationSeconds() == Approx(0.1));
  CHECK(ReadAudioInfo(tmp.File("a.flac")).format == "FLAC PCM_24");
}

TEST_CASE("channels are averaged, or one is selected", "[audio]") {
  test::TempDir tmp;
  for (int channels : {2, 6}) {
    const size_t frames = 4000;
    const std::vector<int32_t> ints = RandomInts(16, frames * channels, 6 + channels);
    const std::string path = tmp.File("c" + std::to_string(channels) + ".wav");
    WriteInts(path, ints, 16000, channels, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    INFO(channels << " channels");

    Waveform mean = ReadAudio(path);
    REQUIRE(mean.samples.size() == frames);
    double max_err = 0;
    for (size_t f = 0; f < frames; ++f) {
      double sum = 0;
      for (int c = 0; c < channels; ++c) sum += ints[f * channels + c] >> 16;
      max_err = std::max(max_err, std::fabs(mean.samples[f] - sum / channels));
    }
    CHECK(max_err <= 1e-3);

    for (int c = 0; c < channels; ++c) {
      AudioReadOptions opts;
      opts.channel = c;
      Waveform one = ReadAudio(path, opts);
      REQUIRE(one.samples.size() == frames);
      size_t mismatches = 0;
      for (size_t f = 0; f < frames; ++f)
        if (one.samples[f] != static_cast<float>(ints[f * channels + c] >> 16)) ++mismatches;
      CHECK(mismatches == 0);
    }

    AudioReadOptions bad;
    bad.channel = channels;
    REQUIRE_THROWS_AS(ReadAudio(path, bad), Error);
    REQUIRE_THROWS_WITH(
        ReadAudio(path, bad),
        Catch::StartsWith(path + ": has " + std::to_string(channels) + " channel(s); channel " +
                          std::to_string(channels) + " requested"));
    bad.channel = -2;
    REQUIRE_THROWS_WITH(ReadAudio(path, bad),
                        Catch::StartsWith(path + ": ") && Catch::Contains("bad channel index -2"));
  }
}

TEST_CASE("ReadAudioSegment returns the samples from start to end", "[audio]") {
  test::TempDir tmp;
  const std::vector<int32_t> ints = RandomInts(16, 32000, 7);  // 2 s at 16 kHz
  const std::string path = tmp.File("seg.flac");
  WriteInts(path, ints, 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  const Waveform whole = ReadAudio(path);

  auto check_slice = [&](double start_s, double end_s, size_t first, size_t last) {
    Waveform seg = ReadAudioSegment(path, start_s, end_s);
    INFO("[" << start_s << ", " << end_s << ")");
    REQUIRE(seg.sample_rate_hz == 16000);
    REQUIRE(seg.samples.size() == last - first);
    CHECK(std::equal(seg.samples.begin(), seg.samples.end(), whole.samples.begin() + first));
    CHECK(seg.samples.front() == static_cast<float>(ints[first] >> 16));
  };
  check_slice(0.5, 1.25, 8000, 20000);
  check_slice(0.0, 0.01, 0, 160);
  check_slice(1.9, -1, 30400, 32000);     // end < 0: to the end
  check_slice(1.5, 2.3, 24000, 32000);    // end within the allowed overshoot: clamped
  check_slice(0.12345, 0.2, 1975, 3200);  // rounded to the nearest sample

  const std::pair<double, double> bad[] = {{-0.1, 1.0}, {1.0, 1.0}, {1.2, 0.8}, {2.0, 2.1},
                                           {2.5, -1},   {0.5, 2.6}, {NAN, 1.0}};
  for (const auto& range : bad) {
    INFO("[" << range.first << ", " << range.second << ")");
    REQUIRE_THROWS_AS(ReadAudioSegment(path, range.first, range.second), Error);
    REQUIRE_THROWS_WITH(ReadAudioSegment(path, range.first, range.second),
                        Catch::StartsWith(path + ": bad segment"));
  }
}

TEST_CASE("resampled segments are slices of the resampled whole file", "[audio]") {
  test::TempDir tmp;
  for (int rate : {8000, 22050, 44100, 48000}) {
    const int n = rate * 3;
    Random random(8);
    std::vector<float> x(n);
    for (float& v : x) v = static_cast<float>(0.3 * random.Gaussian());
    const std::string path = tmp.File("seg" + std::to_string(rate) + ".wav");
    test::WriteAudio(path, x, rate, 1, "float");
    const Waveform whole = ReadAudio(path);
    REQUIRE(whole.samples.size() == 48000u);
    for (const auto& range :
         {std::make_pair(0.0, 0.7), std::make_pair(1.2345, 2.1), std::make_pair(2.5, -1.0)}) {
      Waveform seg = ReadAudioSegment(path, range.first, range.second);
      const size_t first = std::llround(range.first * 16000);
      const size_t last = range.second < 0 ? 48000 : std::llround(range.second * 16000);
      REQUIRE(seg.samples.size() == last - first);
      double max_diff = 0;
      for (size_t i = 0; i < seg.samples.size(); ++i)
        max_diff = std::max(max_diff, double(std::fabs(seg.samples[i] - whole.samples[first + i])));
      INFO(rate << " Hz, [" << range.first << ", " << range.second << "): max diff " << max_diff);
      // Noise at ~10000 16-bit units; the slices agree to float rounding.
      CHECK(max_diff <= 0.05);
    }
  }
}

TEST_CASE("DecodeAudio from memory equals ReadAudio from the file", "[audio]") {
  test::TempDir tmp;
  const std::vector<float> x = test::Sine(300.0, 22050, 22050, 0.4);
  for (const char* format : {"wav16", "float", "flac", "ogg"}) {
    const std::string ext = Extension(format);
    const std::string path = tmp.File(std::string(format) + ext);
    test::WriteAudio(path, x, 22050, 1, format);
    const std::vector<char> bytes = ReadBytes(path);
    for (int rate : {0, 16000}) {
      AudioReadOptions opts;
      opts.sample_rate_hz = rate;
      Waveform from_file = ReadAudio(path, opts);
      Waveform from_memory = DecodeAudio(bytes.data(), bytes.size(), "memory" + ext, opts);
      INFO(format << " at " << rate << " Hz");
      CHECK(from_memory.sample_rate_hz == from_file.sample_rate_hz);
      CHECK(from_memory.samples == from_file.samples);
      CHECK(from_file.samples.size() == (rate == 0 ? 22050u : 16000u));
    }
  }
}

TEST_CASE("real FLAC files read at 16 kHz, finite, at the 16-bit scale", "[audio]") {
  if (test::SkipWithoutShared()) return;
  const std::string dir = test::SharedDir() + "/speech/labeled";
  std::string listing;
  REQUIRE(test::RunCommand("ls '" + dir + "' | grep '\\.flac$'", &listing) == 0);
  std::istringstream names(listing);
  std::string name;
  int files = 0;
  while (std::getline(names, name)) {
    const std::string path = dir + "/" + name;
    AudioInfo info = ReadAudioInfo(path);
    Waveform wave = ReadAudio(path);
    INFO(path);
    CHECK(wave.sample_rate_hz == 16000);
    REQUIRE(!wave.samples.empty());
    CHECK(static_cast<int64_t>(wave.samples.size()) ==
          std::llround(info.num_frames * 16000.0 / info.sample_rate_hz));
    float peak = 0;
    bool finite = true, integers = true;
    for (float v : wave.samples) {
      finite = finite && std::isfinite(v);
      integers = integers && v == std::round(v);
      peak = std::max(peak, std::fabs(v));
    }
    CHECK(finite);
    CHECK(peak <= 32768.0f);
    CHECK(peak > 100.0f);  // speech, not silence or [-1, 1] floats
    // 16-bit files at 16 kHz are not resampled: the samples are the integers.
    if (info.sample_rate_hz == 16000 && info.format == "FLAC PCM_16") CHECK(integers);
    ++files;
  }
  CHECK(files >= 100);
}

}  // namespace
}  // namespace verbatim
