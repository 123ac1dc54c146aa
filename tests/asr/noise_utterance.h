// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Test data for the loader and trainer tests: utterances of seeded Gaussian
// noise written as 16 kHz WAV files.
#pragma once

#include <string>
#include <vector>

#include "asr/data/utterance.h"
#include "base/random.h"
#include "tests/test_util.h"

namespace verbatim {
namespace test {

// Draws a length in [min_samples, min_samples + extra_samples], then the
// samples (std-dev `amplitude`, full scale 1), writes dir/<id>.wav.
inline Utterance NoiseUtterance(const TempDir& dir, const std::string& id, int min_samples,
                                int extra_samples, double amplitude, Random* rng) {
  const int samples = min_samples + static_cast<int>(rng->UniformInt(0, extra_samples));
  std::vector<float> x(samples);
  for (auto& v : x) v = static_cast<float>(amplitude * rng->Gaussian());
  Utterance u;
  u.id = id;
  u.recording = id;
  u.audio = dir.File(id + ".wav");
  u.duration_s = samples / 16000.0;
  WriteAudio(u.audio, x, 16000, 1);
  return u;
}

}  // namespace test
}  // namespace verbatim
