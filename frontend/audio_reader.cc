// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/audio_reader.h"

#include <sndfile.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <utility>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr int64_t kBlockFrames = 1 << 16;
constexpr float kKaldiScale = 32768.0f;  // libsndfile float [-1, 1) -> 16-bit integer range
// Largest accepted |sample| at that scale: 10^6 times full scale. Float files
// hold any value; far beyond full scale they are broken, and the resampler's
// filter sums (and later the FFT's energies) would overflow to infinity.
constexpr float kMaxMagnitude = 32768.0f * 1e6f;
constexpr int kMinRateHz = 1000;
constexpr int kMaxRateHz = 768000;
constexpr int kMaxChannels = 256;
constexpr uint32_t kStreamedWavDataSize = 0x7FFFF000u;
// s of input read on each side of a resampled segment, so that the resampler
// sees what it sees when reading the whole file. soxr's filters are shorter:
// at most ~0.1 s even for "very-high" quality at the lowest rate (1000 Hz).
constexpr double kSegmentContextSeconds = 0.25;
constexpr int kMaxWavChunks = 1000;  // chunks walked before the 'data' chunk
// Output samples reserved before decoding (64 MB of floats, 17 min at 16 kHz).
constexpr int64_t kMaxReserveSamples = int64_t{1} << 24;

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

// Short names for the containers and encodings we expect; libsndfile's own
// description for the rest.
std::string FormatName(int format) {
  static const std::pair<int, const char*> kNames[] = {
      {SF_FORMAT_WAV, "WAV"},           {SF_FORMAT_WAVEX, "WAV"},
      {SF_FORMAT_RF64, "RF64"},         {SF_FORMAT_W64, "W64"},
      {SF_FORMAT_FLAC, "FLAC"},         {SF_FORMAT_OGG, "OGG"},
      {SF_FORMAT_AIFF, "AIFF"},         {SF_FORMAT_AU, "AU"},
      {SF_FORMAT_MPEG, "MPEG"},         {SF_FORMAT_PCM_S8, "PCM_S8"},
      {SF_FORMAT_PCM_U8, "PCM_U8"},     {SF_FORMAT_PCM_16, "PCM_16"},
      {SF_FORMAT_PCM_24, "PCM_24"},     {SF_FORMAT_PCM_32, "PCM_32"},
      {SF_FORMAT_FLOAT, "FLOAT"},       {SF_FORMAT_DOUBLE, "DOUBLE"},
      {SF_FORMAT_ULAW, "ULAW"},         {SF_FORMAT_ALAW, "ALAW"},
      {SF_FORMAT_VORBIS, "VORBIS"},     {SF_FORMAT_OPUS, "OPUS"},
      {SF_FORMAT_MPEG_LAYER_III, "MP3"}};
  auto name_of = [](int part) -> std::string {
    for (const auto& entry : kNames)
      if (entry.first == part) return entry.second;
    SF_FORMAT_INFO info{};
    info.format = part;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof(info)) == 0 && info.name)
      return info.name;
    return "unknown";
  };
  return name_of(format & SF_FORMAT_TYPEMASK) + " " + name_of(format & SF_FORMAT_SUBMASK);
}

uint32_t ReadU32(const unsigned char* p, bool big_endian) {
  return big_endian
             ? (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]
             : (uint32_t(p[3]) << 24) | (uint32_t(p[2]) << 16) | (uint32_t(p[1]) << 8) | p[0];
}

// The first error line libsndfile logged (e.g. libFLAC's "LOST_SYNC"), or "".
std::string LoggedError(SNDFILE* file) {
  std::vector<char> log(1 << 14, '\0');
  sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()) - 1);
  const std::string text(log.data());
  const size_t at = text.find("ERROR");
  if (at == std::string::npos) return "";
  return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

struct AudioFileReader::Impl {
  ~Impl() {
    if (file) sf_close(file);
  }
  SNDFILE* file = nullptr;
  int format = 0;         // libsndfile SF_FORMAT_* bits
  int64_t file_size = 0;  // bytes
  MemoryFile memory;      // used by the in-memory constructor only
  SF_VIRTUAL_IO vio{MemLength, MemSeek, MemRead, MemWrite, MemTell};
  std::unique_ptr<Resampler> resampler;
  std::vector<float> interleaved;
  std::vector<float> mono;
  int64_t position = 0;  // next input frame to read
  bool finished = false;
};

AudioFileReader::AudioFileReader(const std::string& path, const AudioReadOptions& opts)
    : name_(path), opts_(opts), impl_(new Impl) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    Fail(errno == ENOENT ? "no such file" : std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) Fail("is a directory, not an audio file");
  if (st.st_size == 0) Fail("empty file");
  impl_->file_size = st.st_size;
  SF_INFO sfinfo{};
  impl_->file = sf_open(path.c_str(), SFM_READ, &sfinfo);
  if (impl_->file == nullptr)
    Fail(std::string("unknown, unsupported or malformed audio format (libsndfile: ") +
         sf_strerror(nullptr) + ")");
  Open();
}

AudioFileReader::AudioFileReader(const void* data, size_t size, const std::string& name,
                                 const AudioReadOptions& opts)
    : name_(name), opts_(opts), impl_(new Impl) {
  if (size == 0) Fail("empty file");
  impl_->file_size = static_cast<int64_t>(size);
  impl_->memory.data = static_cast<const unsigned char*>(data);
  impl_->memory.size = static_cast<sf_count_t>(size);
  SF_INFO sfinfo{};
  impl_->file = sf_open_virtual(&impl_->vio, SFM_READ, &sfinfo, &impl_->memory);
  if (impl_->file == nullptr)
    Fail(std::string("unknown, unsupported or malformed audio format (libsndfile: ") +
         sf_strerror(nullptr) + ")");
  Open();
}

AudioFileReader::~AudioFileReader() = default;

void AudioFileReader::Fail(const std::string& problem) const {
  throw Error(name_ + ": " + problem);
}

void AudioFileReader::Open() {
  SF_INFO sfinfo{};
  sf_command(impl_->file, SFC_GET_CURRENT_SF_INFO, &sfinfo, sizeof(sfinfo));
  impl_->format = sfinfo.format;
  info_.sample_rate_hz = sfinfo.samplerate;
  info_.num_channels = sfinfo.channels;
  info_.num_frames = sfinfo.frames;
  info_.format = FormatName(sfinfo.format);
  const int major = sfinfo.format & SF_FORMAT_TYPEMASK;
  if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX) CheckWavDataSize();
  if (sfinfo.samplerate < kMinRateHz || sfinfo.samplerate > kMaxRateHz)
    Fail("unsupported sample rate " + std::to_string(sfinfo.samplerate) + " Hz (supported: " +
         std::to_string(kMinRateHz) + " to " + std::to_string(kMaxRateHz) + " Hz)");
  if (sfinfo.channels < 1 || sfinfo.channels > kMaxChannels)
    Fail("unsupported channel count " + std::to_string(sfinfo.channels));
  if (opts_.channel < -1) Fail("bad channel index " + std::to_string(opts_.channel));
  if (opts_.channel >= sfinfo.channels)
    Fail("has " + std::to_string(sfinfo.channels) + " channel(s); channel " +
         std::to_string(opts_.channel) + " requested");
  if (opts_.sample_rate_hz < 0 || opts_.sample_rate_hz > kMaxRateHz)
    Fail("bad output sample rate " + std::to_string(opts_.sample_rate_hz) + " Hz");
  if (sfinfo.frames <= 0) Fail("no audio samples");
  // Integer formats are normalized to [-1, 1) by libsndfile; float files are
  // passed through as stored. Either way we then scale to 16-bit units.
  sf_command(impl_->file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  const int out_rate = output_rate_hz();
  if (out_rate != sfinfo.samplerate)
    impl_->resampler.reset(new Resampler(sfinfo.samplerate, out_rate, opts_.resampler));
}

// libsndfile quietly shortens a WAV file whose 'data' chunk runs past the end
// of the file (a cut download, a full disk). That is lost audio, so it is an
// error here. Sizes 0, 0xFFFFFFFF (ffmpeg) and from 0x7FFFF000 up (sox's
// "unknown length") are placeholders of writers that stream to a pipe.
void AudioFileReader::CheckWavDataSize() {
  std::ifstream stream;
  if (impl_->memory.data == nullptr) stream.open(name_, std::ios::binary);
  auto read_at = [&](int64_t offset, unsigned char* buf, size_t n) {
    if (offset < 0 || offset + static_cast<int64_t>(n) > impl_->file_size) return false;
    if (impl_->memory.data) {
      std::memcpy(buf, impl_->memory.data + offset, n);
      return true;
    }
    stream.seekg(offset);
    return static_cast<bool>(stream.read(reinterpret_cast<char*>(buf), n));
  };
  unsigned char head[12];
  if (!read_at(0, head, sizeof(head))) return;
  const bool big_endian = std::memcmp(head, "RIFX", 4) == 0;
  if (std::memcmp(head, "RIFF", 4) != 0 && !big_endian) return;  // RF64: sizes in 'ds64'
  int64_t offset = 12;
  for (int i = 0; i < kMaxWavChunks; ++i) {
    unsigned char chunk[8];
    if (!read_at(offset, chunk, sizeof(chunk))) return;
    const uint32_t size = ReadU32(chunk + 4, big_endian);
    if (std::memcmp(chunk, "data", 4) == 0) {
      const int64_t available = impl_->file_size - offset - 8;
      const bool placeholder = size == 0 || size >= kStreamedWavDataSize;
      if (!placeholder && size > available)
        Fail("truncated WAV file: its header announces " + std::to_string(size) +
             " bytes of audio, but only " + std::to_string(available) + " follow");
      return;
    }
    offset += 8 + static_cast<int64_t>(size) + (size & 1);
  }
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
    value *= kKaldiScale;
    if (!(std::fabs(value) <= kMaxMagnitude)) {
      // Report the sample, not the mixture: a NaN in any channel poisons the mean.
      for (int c = 0; c < channels; ++c)
        if (std::isnan(frame[c]))
          Fail("sample " + std::to_string(impl_->position + f) + " (channel " + std::to_string(c) +
               ") is NaN");
      Fail("sample " + std::to_string(impl_->position + f) + " is infinite or out of range");
    }
    (*mono)[f] = value;
  }
}

bool AudioFileReader::Read(int64_t max_input_frames, std::vector<float>* out) {
  if (impl_->finished) return false;
  const int64_t want = std::min(max_input_frames, info_.num_frames - impl_->position);
  if (want > 0) {
    impl_->interleaved.resize(static_cast<size_t>(want) * info_.num_channels);
    const int64_t got = sf_readf_float(impl_->file, impl_->interleaved.data(), want);
    if (got < want) {
      if ((impl_->format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG) {
        const std::string logged = LoggedError(impl_->file);
        Fail("truncated or corrupt: decoding stopped at sample " +
             std::to_string(impl_->position + got) + " of " + std::to_string(info_.num_frames) +
             (logged.empty() ? std::string() : " (" + logged + ")"));
      }
      info_.num_frames = impl_->position + got;  // MP3 lengths are estimates
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

AudioInfo ReadAudioInfo(const std::string& path) {
  AudioReadOptions opts;
  opts.sample_rate_hz = 0;  // no resampler needed
  return AudioFileReader(path, opts).info();
}

namespace {

// Decodes input frames [first, last) and returns their output samples:
// round((last - first) * output rate / input rate) of them.
std::vector<float> DecodeRange(AudioFileReader* reader, int64_t first, int64_t last) {
  const double ratio =
      static_cast<double>(reader->output_rate_hz()) / reader->info().sample_rate_hz;
  std::vector<float> out;
  // The length comes from the header, which a corrupt file may inflate (a
  // 200-byte FLAC can announce 2^36 samples): reserve at most a bounded
  // amount up front; a longer file grows the vector as it decodes.
  const double expected = (last - first) * ratio + 64;
  out.reserve(static_cast<size_t>(std::min(expected, static_cast<double>(kMaxReserveSamples))));
  if (first > 0) reader->Seek(first);
  for (int64_t position = first; position < last; position += kBlockFrames)
    if (!reader->Read(std::min(last - position, kBlockFrames), &out)) break;
  reader->Finish(&out);
  last = std::min(last, reader->info().num_frames);  // an MP3 may end early
  // The resampler's flush may add or drop a sample; keep the ideal length.
  out.resize(static_cast<size_t>(std::llround((last - first) * ratio)), 0.0f);
  return out;
}

}  // namespace

Waveform ReadAudio(const std::string& path, const AudioReadOptions& opts) {
  AudioFileReader reader(path, opts);
  Waveform wave;
  wave.sample_rate_hz = reader.output_rate_hz();
  wave.samples = DecodeRange(&reader, 0, reader.info().num_frames);
  return wave;
}

Waveform ReadAudioSegment(const std::string& path, double start_s, double end_s,
                          const AudioReadOptions& opts) {
  AudioFileReader reader(path, opts);
  const AudioInfo& info = reader.info();
  const double duration = info.DurationSeconds();
  const double end = end_s < 0 ? duration : end_s;
  Check(std::isfinite(start_s) && std::isfinite(end_s) && start_s >= 0 && start_s < end &&
            start_s < duration && end <= duration + opts.max_segment_overshoot_s,
        path + ": bad segment [" + std::to_string(start_s) + ", " + std::to_string(end_s) +
            ") s for a file of " + std::to_string(duration) + " s");
  const int64_t in_rate = info.sample_rate_hz, out_rate = reader.output_rate_hz();
  const int64_t total_out = std::llround(info.num_frames * static_cast<double>(out_rate) / in_rate);
  // Output sample indices on the grid of the whole file's output.
  const int64_t out_first = std::llround(start_s * out_rate);
  const int64_t out_last = std::min<int64_t>(total_out, std::llround(end * out_rate));
  Check(out_first < out_last, path + ": segment [" + std::to_string(start_s) + ", " +
                                  std::to_string(end_s) + ") s holds no sample");
  Waveform wave;
  wave.sample_rate_hz = static_cast<int>(out_rate);
  if (in_rate == out_rate) {
    wave.samples = DecodeRange(&reader, out_first, out_last);
    return wave;
  }
  // Start on an input frame that falls exactly on an output sample (a whole
  // number of periods of in_rate / gcd input frames), some context earlier,
  // and stop some context later; then cut the wanted output samples out.
  const int64_t gcd = std::gcd(in_rate, out_rate);
  const int64_t period_in = in_rate / gcd, period_out = out_rate / gcd;
  const int64_t context = static_cast<int64_t>(std::ceil(kSegmentContextSeconds * in_rate));
  const int64_t want_first = out_first * in_rate / out_rate - context;
  const int64_t periods = std::max<int64_t>(0, want_first) / period_in;
  const int64_t in_first = periods * period_in, out_base = periods * period_out;
  const int64_t in_last = std::min(info.num_frames, out_last * in_rate / out_rate + 1 + context);
  std::vector<float> decoded = DecodeRange(&reader, in_first, in_last);
  decoded.resize(std::max(decoded.size(), static_cast<size_t>(out_last - out_base)), 0.0f);
  wave.samples.assign(decoded.begin() + (out_first - out_base),
                      decoded.begin() + (out_last - out_base));
  return wave;
}

Waveform DecodeAudio(const void* data, size_t size, const std::string& name,
                     const AudioReadOptions& opts) {
  AudioFileReader reader(data, size, name, opts);
  Waveform wave;
  wave.sample_rate_hz = reader.output_rate_hz();
  wave.samples = DecodeRange(&reader, 0, reader.info().num_frames);
  return wave;
}

}  // namespace verbatim
