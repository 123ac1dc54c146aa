// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Bad input gives one clear verbatim::Error that starts with the file name and
// says what is wrong; never a crash, never a silently short waveform.
#include <sndfile.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <vector>

#include "base/error.h"
#include "base/random.h"
#include "frontend/audio_reader.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

std::vector<char> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void WriteText(const std::string& path, const std::string& text) {
  WriteBytes(path, std::vector<char>(text.begin(), text.end()));
}

// A canonical 44-byte-header PCM WAV (fmt chunk of `fmt_size` bytes) whose
// data chunk announces `data_size` bytes, followed by `payload`.
std::vector<char> WavBytes(int format_tag, int rate, int channels, int bits, uint32_t data_size,
                           const std::vector<char>& payload, int fmt_size = 16) {
  std::vector<char> b;
  auto put = [&](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  auto tag = [&](const char* t) { b.insert(b.end(), t, t + 4); };
  tag("RIFF");
  put(4 + 8 + fmt_size + 8 + data_size, 4);
  tag("WAVE");
  tag("fmt ");
  put(fmt_size, 4);
  put(format_tag, 2);
  put(channels, 2);
  put(rate, 4);
  put(rate * channels * bits / 8, 4);
  put(channels * bits / 8, 2);
  put(bits, 2);
  for (int i = 16; i < fmt_size; ++i) b.push_back(0);
  tag("data");
  put(data_size, 4);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// Runs `read` and requires a verbatim::Error whose one-line message starts
// with "<name>: " and contains `problem`.
void RequireError(const std::function<void()>& read, const std::string& name,
                  const std::string& problem) {
  try {
    read();
  } catch (const Error& e) {
    const std::string message = e.what();
    INFO("message: " << message);
    CHECK_THAT(message, Catch::StartsWith(name + ": ") && Catch::Contains(problem));
    CHECK(message.find('\n') == std::string::npos);
    return;
  } catch (const std::exception& e) {
    FAIL("not a verbatim::Error: " << e.what());
  }
  FAIL("no error for " << name << " (expected: " << problem << ")");
}

// Both ReadAudio (from the file) and DecodeAudio (from its bytes) must fail.
void RequireBothFail(const std::string& path, const std::string& problem) {
  INFO(path);
  RequireError([&] { ReadAudio(path); }, path, problem);
  const std::vector<char> bytes = ReadBytes(path);
  if (bytes.empty()) return;
  RequireError([&] { DecodeAudio(bytes.data(), bytes.size(), "in-memory.x"); }, "in-memory.x",
               problem);
}

std::vector<float> Noise(size_t n, uint64_t seed) {
  Random random(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(0.2 * random.Gaussian());
  return x;
}

TEST_CASE("missing file, directory, empty file", "[audio]") {
  test::TempDir tmp;
  RequireError([&] { ReadAudio(tmp.File("missing.wav")); }, tmp.File("missing.wav"),
               "no such file");
  RequireError([&] { ReadAudioInfo(tmp.File("missing.flac")); }, tmp.File("missing.flac"),
               "no such file");
  RequireError([&] { ReadAudio(tmp.path()); }, tmp.path(), "is a directory");
  WriteText(tmp.File("empty.wav"), "");
  RequireError([&] { ReadAudio(tmp.File("empty.wav")); }, tmp.File("empty.wav"), "empty file");
  RequireError([&] { DecodeAudio(nullptr, 0, "empty buffer"); }, "empty buffer", "empty file");
}

TEST_CASE("random bytes, text and unsupported formats are not audio", "[audio]") {
  test::TempDir tmp;
  const std::string problem = "unknown, unsupported or malformed audio format";
  Random random(11);
  std::vector<char> noise(5000);
  for (char& c : noise) c = static_cast<char>(random.UniformInt(0, 255));
  WriteBytes(tmp.File("random.wav"), noise);
  RequireBothFail(tmp.File("random.wav"), problem);

  WriteText(tmp.File("notes.wav"), "This is a text file that was renamed to .wav.\n");
  RequireBothFail(tmp.File("notes.wav"), problem);

  // AMR-NB (a real speech codec libsndfile cannot read): magic and 12.2 kbit/s frames.
  std::string amr = "#!AMR\n";
  for (int i = 0; i < 50; ++i) amr += std::string(1, '\x3c') + std::string(31, '\x55');
  WriteText(tmp.File("speech.amr"), amr);
  RequireBothFail(tmp.File("speech.amr"), problem);

  // A WAV file with a codec libsndfile does not know (format tag 0x1234).
  WriteBytes(tmp.File("codec.wav"),
             WavBytes(0x1234, 16000, 1, 16, 200, std::vector<char>(200), 18));
  RequireBothFail(tmp.File("codec.wav"), problem);

  // Valid WAV, but at a rate no speech front end should accept silently.
  WriteBytes(tmp.File("500hz.wav"), WavBytes(1, 500, 1, 16, 200, std::vector<char>(200)));
  RequireBothFail(tmp.File("500hz.wav"), "unsupported sample rate 500 Hz");
}

TEST_CASE("a WAV header without samples", "[audio]") {
  test::TempDir tmp;
  WriteBytes(tmp.File("header.wav"), WavBytes(1, 16000, 1, 16, 0, {}));
  RequireBothFail(tmp.File("header.wav"), "no audio samples");
  // The same through libsndfile's own writer.
  test::WriteAudio(tmp.File("zero.wav"), {}, 16000, 1, "wav16");
  RequireBothFail(tmp.File("zero.wav"), "no audio samples");
}

TEST_CASE("truncated WAV files are errors, not shorter audio", "[audio]") {
  test::TempDir tmp;
  const std::string whole = tmp.File("whole.wav");
  test::WriteAudio(whole, Noise(16000, 12), 16000, 1, "wav16");
  REQUIRE(ReadAudio(whole).samples.size() == 16000u);
  const std::vector<char> bytes = ReadBytes(whole);
  REQUIRE(bytes.size() == 44u + 32000u);
  // Cut in the middle of the data, at a frame boundary and inside a sample,
  // and right after the header.
  for (size_t size : {size_t{44 + 20000}, size_t{44 + 31999}, size_t{44 + 2}, size_t{45}}) {
    const std::string path = tmp.File("cut" + std::to_string(size) + ".wav");
    WriteBytes(path, std::vector<char>(bytes.begin(), bytes.begin() + size));
    RequireBothFail(path,
                    "truncated WAV file: its header announces 32000 bytes of audio, but only " +
                        std::to_string(size - 44) + " follow");
  }
  // Trailing chunks after complete data are fine.
  std::vector<char> longer = bytes;
  const char list[] = {'L', 'I', 'S', 'T', 4, 0, 0, 0, 'I', 'N', 'F', 'O'};
  longer.insert(longer.end(), list, list + sizeof(list));
  WriteBytes(tmp.File("trailing.wav"), longer);
  CHECK(ReadAudio(tmp.File("trailing.wav")).samples == ReadAudio(whole).samples);
}

TEST_CASE("WAV streamed to a pipe (placeholder data size) is read whole", "[audio]") {
  // sox writes 0x7FFFF000 and ffmpeg 0xFFFFFFFF (or 0) when it cannot seek
  // back to fix the header: the data runs to the end of the stream.
  test::TempDir tmp;
  std::vector<char> payload(3200);
  for (size_t i = 0; i < payload.size(); i += 2) payload[i] = static_cast<char>(i / 2 % 100);
  for (uint32_t placeholder : {0x7FFFF000u, 0xFFFFFFFFu}) {
    INFO("data size " << placeholder);
    const std::vector<char> bytes = WavBytes(1, 16000, 1, 16, placeholder, payload);
    const Waveform wave = DecodeAudio(bytes.data(), bytes.size(), "stream.wav");
    REQUIRE(wave.samples.size() == 1600u);
    CHECK(wave.samples[7] == 7.0f);
  }
}

TEST_CASE("truncated and corrupt FLAC files are errors", "[audio]") {
  test::TempDir tmp;
  const std::string whole = tmp.File("whole.flac");
  test::WriteAudio(whole, Noise(5 * 16000, 13), 16000, 1, "flac");
  REQUIRE(ReadAudio(whole).samples.size() == 80000u);
  const std::vector<char> bytes = ReadBytes(whole);
  REQUIRE(bytes.size() > 20000u);

  const std::string cut = tmp.File("cut.flac");
  WriteBytes(cut, std::vector<char>(bytes.begin(), bytes.begin() + bytes.size() / 2));
  RequireBothFail(cut, "truncated or corrupt: decoding stopped at sample ");
  RequireError([&] { ReadAudio(cut); }, cut, " of 80000");

  // One flipped byte in the middle breaks a frame's CRC; a run of bytes, the sync.
  for (size_t length : {size_t{1}, size_t{16}}) {
    std::vector<char> bad = bytes;
    for (size_t i = 0; i < length; ++i) bad[bad.size() / 2 + i] ^= 0x5A;
    const std::string path = tmp.File("corrupt" + std::to_string(length) + ".flac");
    WriteBytes(path, bad);
    RequireBothFail(path, "truncated or corrupt");
  }
}

// Found by fuzz/audio_reader_fuzzer: the reader reserved the length the
// header announces before decoding, so a small FLAC announcing 2^36 samples
// threw std::length_error or std::bad_alloc instead of a verbatim::Error.
TEST_CASE("a FLAC header announcing far more samples than the file holds", "[audio]") {
  test::TempDir tmp;
  test::WriteAudio(tmp.File("short.flac"), Noise(1600, 15), 16000, 1, "flac");
  std::vector<char> bytes = ReadBytes(tmp.File("short.flac"));
  // STREAMINFO follows "fLaC" and a 4-byte block header; its total sample
  // count is the low 36 bits of the big-endian 64 bits at offset 18.
  REQUIRE(bytes.size() > 26u);
  REQUIRE(std::string(bytes.data(), 4) == "fLaC");
  bytes[21] = static_cast<char>(bytes[21] | 0x0F);
  for (int i = 22; i < 26; ++i) bytes[i] = static_cast<char>(0xFF);
  WriteBytes(tmp.File("inflated.flac"), bytes);
  RequireBothFail(tmp.File("inflated.flac"), "truncated or corrupt: decoding stopped at sample ");
}

TEST_CASE("NaN and infinite samples are errors", "[audio]") {
  test::TempDir tmp;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = Noise(1000, 14);
  x[700] = nan;
  test::WriteAudio(tmp.File("nan.wav"), x, 16000, 1, "float");
  RequireBothFail(tmp.File("nan.wav"), "sample 700 (channel 0) is NaN");
  x[700] = 0.0f;
  x[123] = -inf;
  test::WriteAudio(tmp.File("inf.wav"), x, 16000, 1, "float");
  RequireBothFail(tmp.File("inf.wav"), "sample 123 is infinite");
  // A finite value that overflows at the 16-bit scale.
  x[123] = 1e38f;
  test::WriteAudio(tmp.File("huge.wav"), x, 16000, 1, "float");
  RequireBothFail(tmp.File("huge.wav"), "sample 123 is infinite or out of range");
  // Finite at that scale, but the resampler's sums would overflow (a fuzzer
  // found such an AIFC file: infinite samples came out of the resampler).
  x[123] = 1e33f;
  test::WriteAudio(tmp.File("huge_finite.wav"), x, 22050, 1, "float");
  RequireBothFail(tmp.File("huge_finite.wav"), "sample 123 is infinite or out of range");
  x[123] = 1e5f;  // far beyond full scale, still accepted
  test::WriteAudio(tmp.File("loud.wav"), x, 22050, 1, "float");
  CHECK(ReadAudio(tmp.File("loud.wav")).samples.size() > 0);

  // Also when resampling, and in one channel of two (the mean would be NaN).
  std::vector<float> stereo(2 * 1000, 0.1f);
  stereo[2 * 400 + 1] = nan;
  test::WriteAudio(tmp.File("stereo-nan.wav"), stereo, 44100, 2, "float");
  RequireBothFail(tmp.File("stereo-nan.wav"), "sample 400 (channel 1) is NaN");
  // Channel 0 alone is clean, so selecting it reads fine.
  AudioReadOptions left;
  left.channel = 0;
  CHECK(ReadAudio(tmp.File("stereo-nan.wav"), left).samples.size() ==
        static_cast<size_t>(std::llround(1000 * 16000.0 / 44100)));
}

TEST_CASE("bad options are errors naming the file", "[audio]") {
  test::TempDir tmp;
  const std::string path = tmp.File("ok.wav");
  test::WriteAudio(path, Noise(1000, 15), 16000, 1, "wav16");
  AudioReadOptions opts;
  opts.sample_rate_hz = -8000;
  RequireError([&] { ReadAudio(path, opts); }, path, "bad output sample rate -8000 Hz");
  opts.sample_rate_hz = 16000;
  opts.channel = 1;
  RequireError([&] { ReadAudio(path, opts); }, path, "has 1 channel(s); channel 1 requested");
}

}  // namespace
}  // namespace verbatim
