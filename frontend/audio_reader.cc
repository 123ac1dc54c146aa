// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/audio_reader.h"

#include <sndfile.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "frontend/error.h"

namespace verbatim {
namespace {

constexpr int64_t kBlockFrames = 1 << 16;
constexpr float kKaldiScale = 32768.0f;  // libsndfile float [-1, 1) -> 16-bit integer range
constexpr int kMinRateHz = 1000;
constexpr int kMaxRateHz = 768000;
constexpr int kMaxChannels = 256;

// In-memory file for sf_open_virtual.
struct MemoryFile {
  const unsigned char* data = nullptr;
  sf_count_t size = 0;
  sf_count_t pos = 0;
};

sf_count_t MemLength(void* user) { return static_cast<MemoryFile*>(user)->size; }
sf_count_t MemSeek(sf_count_t offset, int whence, void* user) {
  auto* m = static_cast<MemoryFile*>(user);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
  const sf_count_t target = base + offset;
  if (target < 0 || target > m->size) return -1;
  m->pos = target;
  return m->pos;
}
sf_count_t MemRead(void* ptr, sf_count_t count, void* user) {
  auto* m = static_cast<MemoryFile*>(user);
  const sf_count_t n = std::max<sf_count_t>(0, std::min(count, m->size - m->pos));
  if (n > 0) std::memcpy(ptr, m->data + m->pos, static_cast<size_t>(n));
  m->pos += n;
  return n;
}
sf_count_t MemWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t MemTell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

std::string FormatName(int format) {
  SF_FORMAT_INFO major{}, minor{};
  major.format = format & SF_FORMAT_TYPEMASK;
  minor.format = format & SF_FORMAT_SUBMASK;
  std::string name = "unknown";
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof(major)) == 0 && major.extension)
    name = major.extension;
  std::transform(name.begin(), name.end(), name.begin(), ::toupper);
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &minor, sizeof(minor)) == 0 && minor.name)
    name += std::string(" ") + minor.name;
  return name;
}

}  // namespace

struct AudioFileReader::Impl {
  SNDFILE* file = nullptr;
  MemoryFile memory;
  SF_VIRTUAL_IO vio{MemLength, MemSeek, MemRead, MemWrite, MemTell};
  std::unique_ptr<Resampler> resampler;
  std::vector<float> interleaved;
  std::vector<float> mono;
  int64_t position = 0;     // next input frame to read
  bool finished = false;
};

AudioFileReader::AudioFileReader(const std::string& path, const AudioReadOptions& opts)
    : name_(path), opts_(opts), impl_(new Impl) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) Fail("no such file");
  if (S_ISDIR(st.st_mode)) Fail("is a directory, not an audio file");
  if (st.st_size == 0) Fail("empty file");
  SF_INFO sfinfo{};
  impl_->file = sf_open(path.c_str(), SFM_READ, &sfinfo);
  if (impl_->file == nullptr) Fail(std::string("cannot read audio: ") + sf_strerror(nullptr));
  Open();
}

AudioFileReader::AudioFileReader(const void* data, size_t size, const std::string& name,
                                 const AudioReadOptions& opts)
    : name_(name), opts_(opts), impl_(new Impl) {
  if (size == 0) Fail("empty file");
  impl_->memory.data = static_cast<const unsigned char*>(data);
  impl_->memory.size = static_cast<sf_count_t>(size);
  SF_INFO sfinfo{};
  impl_->file = sf_open_virtual(&impl_->vio, SFM_READ, &sfinfo, &impl_->memory);
  if (impl_->file == nullptr) Fail(std::string("cannot read audio: ") + sf_strerror(nullptr));
  Open();
}

AudioFileReader::~AudioFileReader() {
  if (impl_ && impl_->file) sf_close(impl_->file);
}

void AudioFileReader::Fail(const std::string& problem) const { throw Error(name_ + ": " + problem); }

void AudioFileReader::Open() {
  SF_INFO sfinfo{};
  sf_command(impl_->file, SFC_GET_CURRENT_SF_INFO, &sfinfo, sizeof(sfinfo));
  info_.sample_rate_hz = sfinfo.samplerate;
  info_.num_channels = sfinfo.channels;
  info_.num_frames = sfinfo.frames;
  info_.format = FormatName(sfinfo.format);
  if (sfinfo.samplerate < kMinRateHz || sfinfo.samplerate > kMaxRateHz)
    Fail("unsupported sample rate " + std::to_string(sfinfo.samplerate) + " Hz (supported: " +
         std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz)");
  if (sfinfo.channels < 1 || sfinfo.channels > kMaxChannels)
    Fail("unsupported channel count " + std::to_string(sfinfo.channels));
  if (opts_.channel >= sfinfo.channels)
    Fail("has " + std::to_string(sfinfo.channels) + " channel(s); channel " +
         std::to_string(opts_.channel) + " requested");
  if (sfinfo.frames <= 0) Fail("no audio samples");
  // Integer formats are normalized to [-1, 1) by libsndfile; float files are
  // passed through as stored. Either way we then scale to 16-bit units.
  sf_command(impl_->file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  const int out_rate = output_rate_hz();
  if (out_rate != sfinfo.samplerate)
    impl_->resampler.reset(new Resampler(sfinfo.samplerate, out_rate, opts_.resampler));
}

int AudioFileReader::output_rate_hz() const {
  return opts_.sample_rate_hz > 0 ? opts_.sample_rate_hz : info_.sample_rate_hz;
}

void AudioFileReader::Seek(int64_t frame) {
  if (frame < 0 || frame > info_.num_frames)
    Fail("cannot seek to sample " + std::to_string(frame) + " of " +
         std::to_string(info_.num_frames));
  if (sf_seek(impl_->file, frame, SEEK_SET) < 0)
    Fail(std::string("cannot seek: ") + sf_strerror(impl_->file));
  impl_->position = frame;
}

void AudioFileReader::MixDown(const float* interleaved, int64_t frames,
                              std::vector<float>* mono) const {
  const int channels = info_.num_channels;
  mono->resize(static_cast<size_t>(frames));
  for (int64_t f = 0; f < frames; ++f) {
    const float* frame = interleaved + f * channels;
    float value;
    if (opts_.channel >= 0) {
      value = frame[opts_.channel];
    } else {
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += frame[c];
      value = sum / channels;
    }
    if (!std::isfinite(value))
      Fail("sample " + std::to_string(impl_->position + f) + " is not a finite number (NaN or Inf)");
    (*mono)[f] = value * kKaldiScale;
  }
}

bool AudioFileReader::Read(int64_t max_input_frames, std::vector<float>* out) {
  if (impl_->finished) return false;
  const int64_t want = std::min(max_input_frames, info_.num_frames - impl_->position);
  int64_t got = 0;
  if (want > 0) {
    impl_->interleaved.resize(static_cast<size_t>(want) * info_.num_channels);
    got = sf_readf_float(impl_->file, impl_->interleaved.data(), want);
    if (got < want) {
      const int err = sf_error(impl_->file);
      Fail("truncated or corrupt: read " + std::to_string(impl_->position + got) + " of " +
           std::to_string(info_.num_frames) + " samples" +
           (err ? std::string(" (") + sf_strerror(impl_->file) + ")" : std::string()));
    }
    MixDown(impl_->interleaved.data(), got, &impl_->mono);
    impl_->position += got;
    if (impl_->resampler)
      impl_->resampler->Process(impl_->mono.data(), impl_->mono.size(), out);
    else
      out->insert(out->end(), impl_->mono.begin(), impl_->mono.end());
  }
  if (impl_->position >= info_.num_frames) Finish(out);
  return !impl_->finished;
}

void AudioFileReader::Finish(std::vector<float>* out) {
  if (impl_->finished) return;
  if (impl_->resampler) impl_->resampler->Flush(out);
  impl_->finished = true;
}

AudioInfo ReadAudioInfo(const std::string& path) { return AudioFileReader(path).info(); }

namespace {

Waveform ReadRange(AudioFileReader* reader, int64_t first, int64_t last) {
  Waveform wave;
  wave.sample_rate_hz = reader->output_rate_hz();
  if (first > 0) reader->Seek(first);
  int64_t remaining = last - first;
  const double ratio = static_cast<double>(wave.sample_rate_hz) / reader->info().sample_rate_hz;
  wave.samples.reserve(static_cast<size_t>(remaining * ratio) + 64);
  while (remaining > 0) {
    const int64_t block = std::min(remaining, kBlockFrames);
    reader->Read(block, &wave.samples);
    remaining -= block;
  }
  reader->Finish(&wave.samples);
  // The resampler's flush may add or drop a sample; keep the ideal length.
  wave.samples.resize(static_cast<size_t>(std::llround((last - first) * ratio)), 0.0f);
  return wave;
}

}  // namespace

Waveform ReadAudio(const std::string& path, const AudioReadOptions& opts) {
  AudioFileReader reader(path, opts);
  return ReadRange(&reader, 0, reader.info().num_frames);
}

Waveform ReadAudioSegment(const std::string& path, double start_s, double end_s,
                          const AudioReadOptions& opts) {
  AudioFileReader reader(path, opts);
  const AudioInfo& info = reader.info();
  const int64_t first = std::llround(start_s * info.sample_rate_hz);
  const int64_t last =
      end_s < 0 ? info.num_frames : std::min<int64_t>(info.num_frames, std::llround(end_s * info.sample_rate_hz));
  if (start_s < 0 || first >= last)
    throw Error(path + ": bad segment [" + std::to_string(start_s) + ", " + std::to_string(end_s) +
                ") s for a file of " + std::to_string(info.DurationSeconds()) + " s");
  return ReadRange(&reader, first, last);
}

Waveform DecodeAudio(const void* data, size_t size, const std::string& name,
                     const AudioReadOptions& opts) {
  AudioFileReader reader(data, size, name, opts);
  return ReadRange(&reader, 0, reader.info().num_frames);
}

}  // namespace verbatim
