// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the audio reader (frontend/audio_reader.h) with arbitrary bytes.
// Anything but a verbatim::Error is a finding (a crash, a sanitizer report,
// another exception). Decoded audio is also checked against the reader's
// promises: finite samples, the length the header announces, the same
// samples read from memory and from a file, and (WAV, FLAC) a segment equal
// to the slice of the whole.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/error.h"
#include "frontend/audio_reader.h"
#include "fuzz/fuzz_util.h"

namespace {

using verbatim::AudioReadOptions;
using verbatim::Waveform;

[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "audio_reader_fuzzer: %s\n", what.c_str());
  std::abort();
}

// The options vary with the input size, so that each input meets several.
AudioReadOptions OptionsFor(size_t size) {
  AudioReadOptions opts;
  switch (size % 4) {
    case 0:
      opts.sample_rate_hz = 0;
      break;  // the file's own rate: exact comparisons
    case 1:
      opts.sample_rate_hz = 16000;
      break;
    case 2:
      opts.sample_rate_hz = 8000;
      break;
    default:
      opts.channel = 0;
      break;
  }
  return opts;
}

// ReadAudio, ReadAudioInfo and ReadAudioSegment on the same bytes as a file.
void CheckFileReads(const Waveform& decoded, const std::string& bytes,
                    const AudioReadOptions& opts) {
  const std::string path = verbatim::fuzz::ScratchDir() + "/input";
  verbatim::fuzz::WriteFile(path, bytes);
  const verbatim::AudioInfo info = verbatim::ReadAudioInfo(path);
  if (info.format.rfind("MPEG", 0) == 0) return;  // MP3 lengths are estimates
  const Waveform whole = verbatim::ReadAudio(path, opts);
  if (whole.samples != decoded.samples) Finding("file and memory reads differ");
  const double ratio = static_cast<double>(whole.sample_rate_hz) / info.sample_rate_hz;
  if (whole.samples.size() != static_cast<size_t>(std::llround(info.num_frames * ratio)))
    Finding("length differs from the header's " + std::to_string(info.num_frames) + " frames");
  if (opts.sample_rate_hz != 0 || info.num_frames < 3) return;
  // Without resampling a segment is exactly a slice of the whole. Checked for
  // WAV and FLAC (the corpora's formats) only: libsndfile itself seeks
  // inconsistently in some malformed files of other formats (an AU header
  // announcing its data at byte 8, inside the header: reads start there,
  // seeks elsewhere; sox refuses such a file).
  if (info.format.rfind("WAV", 0) != 0 && info.format.rfind("FLAC", 0) != 0) return;
  const int64_t first = info.num_frames / 3, last = 2 * info.num_frames / 3 + 1;
  const double rate = info.sample_rate_hz;
  const Waveform part = verbatim::ReadAudioSegment(path, first / rate, last / rate, opts);
  if (part.samples.size() != static_cast<size_t>(last - first) ||
      !std::equal(part.samples.begin(), part.samples.end(), whole.samples.begin() + first))
    Finding("segment differs from the slice of the whole file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const AudioReadOptions opts = OptionsFor(size);
  try {
    const Waveform wave = verbatim::DecodeAudio(data, size, "fuzz input", opts);
    for (float s : wave.samples)
      if (!std::isfinite(s)) Finding("a decoded sample is not finite");
    CheckFileReads(wave, std::string(reinterpret_cast<const char*>(data), size), opts);
  } catch (const verbatim::Error&) {
    // A clear error is the expected outcome for most inputs.
  }
  return 0;
}
