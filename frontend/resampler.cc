// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "frontend/resampler.h"

#include <soxr.h>

#include <cmath>
#include <string>

#include "base/error.h"

namespace verbatim {
namespace {

unsigned long SoxrRecipe(ResamplerOptions::Quality q) {
  switch (q) {
    case ResamplerOptions::Quality::kQuick:
      return SOXR_QQ;
    case ResamplerOptions::Quality::kLow:
      return SOXR_LQ;
    case ResamplerOptions::Quality::kMedium:
      return SOXR_MQ;
    case ResamplerOptions::Quality::kHigh:
      return SOXR_HQ;
    case ResamplerOptions::Quality::kVeryHigh:
      return SOXR_VHQ;
  }
  return SOXR_HQ;
}

}  // namespace

Resampler::Resampler(double input_rate_hz, double output_rate_hz, const ResamplerOptions& opts)
    : input_rate_(input_rate_hz), output_rate_(output_rate_hz) {
  Check(input_rate_hz > 0 && output_rate_hz > 0 && std::isfinite(input_rate_hz) &&
            std::isfinite(output_rate_hz),
        "resampler rates must be positive: " + std::to_string(input_rate_hz) + " Hz -> " +
            std::to_string(output_rate_hz) + " Hz");
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t quality = soxr_quality_spec(SoxrRecipe(opts.quality), 0);
  soxr_runtime_spec_t runtime = soxr_runtime_spec(1);  // one thread: callers parallelize
  soxr_error_t error = nullptr;
  soxr_ = soxr_create(input_rate_hz, output_rate_hz, 1, &error, &io, &quality, &runtime);
  Check(error == nullptr && soxr_ != nullptr,
        std::string("cannot create resampler: ") + (error ? error : "unknown error"));
}

Resampler::~Resampler() { soxr_delete(static_cast<soxr_t>(soxr_)); }

void Resampler::Run(const float* in, size_t n, std::vector<float>* out) {
  auto* soxr = static_cast<soxr_t>(soxr_);
  size_t consumed = 0;
  // With in == nullptr (flush) soxr drains its buffers over several calls.
  for (;;) {
    const size_t room = static_cast<size_t>(std::ceil((n - consumed) * ratio())) + 1024;
    const size_t old_size = out->size();
    out->resize(old_size + room);
    size_t idone = 0, odone = 0;
    soxr_error_t error = soxr_process(soxr, in ? in + consumed : nullptr, in ? n - consumed : 0,
                                      &idone, out->data() + old_size, room, &odone);
    Check(error == nullptr, std::string("resampler failed: ") + (error ? error : ""));
    out->resize(old_size + odone);
    consumed += idone;
    if (in != nullptr && consumed >= n && odone < room) break;
    if (in == nullptr && odone == 0) break;
  }
}

void Resampler::Process(const float* in, size_t n, std::vector<float>* out) {
  Check(!flushed_, "Resampler::Process called after Flush");
  if (n > 0) Run(in, n, out);
}

void Resampler::Flush(std::vector<float>* out) {
  if (!flushed_) Run(nullptr, 0, out);
  flushed_ = true;
}

std::vector<float> Resample(const std::vector<float>& in, double input_rate_hz,
                            double output_rate_hz, const ResamplerOptions& opts) {
  if (input_rate_hz == output_rate_hz) return in;
  Resampler resampler(input_rate_hz, output_rate_hz, opts);
  std::vector<float> out;
  out.reserve(static_cast<size_t>(in.size() * resampler.ratio()) + 16);
  resampler.Process(in.data(), in.size(), &out);
  resampler.Flush(&out);
  const size_t expected =
      static_cast<size_t>(std::llround(static_cast<double>(in.size()) * resampler.ratio()));
  out.resize(expected, 0.0f);  // soxr's flush may differ from the ideal length by a sample
  return out;
}

}  // namespace verbatim
