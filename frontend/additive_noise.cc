// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/additive_noise.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "base/error.h"

namespace verbatim {
namespace {

// Paul Kellett's "refined" pink filter: six first-order low-passes fed by the
// same white noise plus a direct path, within 0.05 dB of 1/f from 0.0002 fs up.
class PinkFilter {
 public:
  float Next(double white) {
    state_[0] = 0.99886 * state_[0] + white * 0.0555179;
    state_[1] = 0.99332 * state_[1] + white * 0.0750759;
    state_[2] = 0.96900 * state_[2] + white * 0.1538520;
    state_[3] = 0.86650 * state_[3] + white * 0.3104856;
    state_[4] = 0.55000 * state_[4] + white * 0.5329522;
    state_[5] = -0.7616 * state_[5] - white * 0.0168980;
    const double pink = state_[0] + state_[1] + state_[2] + state_[3] + state_[4] + state_[5] +
                        state_[6] + white * 0.5362;
    state_[6] = white * 0.115926;
    return static_cast<float>(pink);
  }

 private:
  std::array<double, 7> state_{};
};

// 1 / (the filter's output standard deviation for unit white noise), from the
// energy of its impulse response (the slowest pole has decayed by e^-22 after
// 20000 samples).
double PinkNormalization() {
  PinkFilter filter;
  double energy = 0.0;
  for (int i = 0; i < 20000; ++i) {
    const double h = filter.Next(i == 0 ? 1.0 : 0.0);
    energy += h * h;
  }
  return 1.0 / std::sqrt(energy);
}

double Power(const float* x, size_t n) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return n > 0 ? sum / n : 0.0;
}

}  // namespace

void AdditiveNoiseOptions::Register(OptionRegistry* r) {
  r->Register("min_snr_db", &min_snr_db, "lowest signal-to-noise ratio, dB");
  r->Register("max_snr_db", &max_snr_db, "highest signal-to-noise ratio, dB");
  r->Register("files", &noise_files, "noise recordings (empty: generated noise)");
  RegisterEnum(r, "generated", &generated_noise,
               {{"white", NoiseType::kWhite}, {"pink", NoiseType::kPink}},
               "noise made when there are no files");
}

std::vector<float> WhiteNoise(size_t n, Random* rng) {
  Check(rng != nullptr, "WhiteNoise: null random generator");
  std::vector<float> noise(n);
  for (float& v : noise) v = static_cast<float>(rng->Gaussian());
  return noise;
}

std::vector<float> PinkNoise(size_t n, Random* rng) {
  Check(rng != nullptr, "PinkNoise: null random generator");
  static const double kScale = PinkNormalization();
  PinkFilter filter;
  // Warm up so that the slow sections start in their steady state rather than at 0.
  for (int i = 0; i < 4096; ++i) filter.Next(rng->Gaussian());
  std::vector<float> noise(n);
  for (float& v : noise) v = static_cast<float>(filter.Next(rng->Gaussian()) * kScale);
  return noise;
}

AdditiveNoise::AdditiveNoise(const AdditiveNoiseOptions& opts) : opts_(opts) {
  Check(std::isfinite(opts.min_snr_db) && std::isfinite(opts.max_snr_db) &&
            opts.min_snr_db <= opts.max_snr_db,
        "additive noise: bad SNR range [" + std::to_string(opts.min_snr_db) + ", " +
            std::to_string(opts.max_snr_db) + "] dB");
  Check(opts.sample_rate_hz > 0,
        "additive noise: sample rate must be positive, got " + std::to_string(opts.sample_rate_hz));
  for (const std::string& path : opts.noise_files) {
    const AudioInfo info = ReadAudioInfo(path);  // throws "path: no such file" and the like
    file_lengths_.push_back(std::llround(static_cast<double>(info.num_frames) *
                                         opts.sample_rate_hz / info.sample_rate_hz));
  }
}

double AdditiveNoise::AddAtSnr(const std::vector<float>& noise, double snr_db,
                               std::vector<float>* samples) {
  Check(samples != nullptr, "AdditiveNoise::AddAtSnr: null samples");
  Check(noise.size() >= samples->size(), "additive noise: noise shorter than the signal");
  const size_t n = samples->size();
  const double signal_power = Power(samples->data(), n);
  const double noise_power = Power(noise.data(), n);
  if (signal_power <= 0.0 || noise_power <= 0.0) return 0.0;
  const double scale = std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0)));
  for (size_t i = 0; i < n; ++i) (*samples)[i] += static_cast<float>(scale * noise[i]);
  return scale;
}

AdditiveNoiseRecord AdditiveNoise::Apply(std::vector<float>* samples, Random* rng) const {
  Check(samples != nullptr && rng != nullptr, "AdditiveNoise::Apply: null argument");
  AdditiveNoiseRecord record;
  record.snr_db = opts_.min_snr_db == opts_.max_snr_db
                      ? opts_.min_snr_db
                      : rng->Uniform(opts_.min_snr_db, opts_.max_snr_db);
  std::vector<float> noise;
  if (opts_.noise_files.empty()) {
    const bool pink = opts_.generated_noise == AdditiveNoiseOptions::NoiseType::kPink;
    record.source = pink ? "pink" : "white";
    noise = pink ? PinkNoise(samples->size(), rng) : WhiteNoise(samples->size(), rng);
  } else {
    const auto last = static_cast<int64_t>(opts_.noise_files.size()) - 1;
    const auto index = static_cast<size_t>(rng->UniformInt(0, last));
    noise = ReadNoise(index, samples->size(), rng, &record);
  }
  record.noise_scale = AddAtSnr(noise, record.snr_db, samples);
  return record;
}

std::vector<float> AdditiveNoise::ReadNoise(size_t file_index, size_t n, Random* rng,
                                            AdditiveNoiseRecord* record) const {
  const std::string& path = opts_.noise_files[file_index];
  const int64_t length = file_lengths_[file_index];
  const auto needed = static_cast<int64_t>(n);
  record->source = path;
  if (n == 0) return {};
  AudioReadOptions read_opts;
  read_opts.sample_rate_hz = opts_.sample_rate_hz;
  Waveform wave;
  if (length > needed) {
    // Long enough: a random crop (with a few spare samples against the
    // resampler's rounding of the segment's length).
    record->offset = rng->UniformInt(0, length - needed);
    const double rate = opts_.sample_rate_hz;
    const double end_s = std::min(record->offset + needed + 8, length) / rate;
    wave = ReadAudioSegment(path, record->offset / rate, end_s, read_opts);
  } else {
    // Too short: loop the whole file, starting at a random point.
    record->offset = rng->UniformInt(0, std::max<int64_t>(length - 1, 0));
    wave = ReadAudio(path, read_opts);
  }
  Check(!wave.samples.empty(), path + ": no noise samples");
  const size_t start =
      length > needed ? 0 : static_cast<size_t>(record->offset) % wave.samples.size();
  std::vector<float> noise(n);
  for (size_t i = 0; i < n; ++i) noise[i] = wave.samples[(start + i) % wave.samples.size()];
  return noise;
}

}  // namespace verbatim
