// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Fbank throughput: 80-bin Kaldi features for every audio file under a folder
// (default ../shared/speech/librispeech_untranscribed, 65 min), printing
// seconds of audio per second of compute ("x real time"). Audio decoding is
// timed separately and not counted. With --peer, torchaudio's
// compliance.kaldi.fbank is timed on the same files in the same run
// (bench/fbank_torchaudio.py, Debian python3-torchaudio), like with like: one
// thread, float32, dither 0, features only. One Fbank serves every file and
// thread; the same run also times a new Fbank per file, as a measure of what
// building one costs.
//
//   build/bench/fbank_bench [--dir DIR] [--threads N] [--repeat R] [--peer]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "frontend/audio_reader.h"
#include "frontend/fbank.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::vector<std::string> FindAudio(const std::string& dir) {
  std::vector<std::string> files;
  const std::string cmd =
      "find '" + dir + "' -type f \\( -name '*.flac' -o -name '*.wav' \\) | sort";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return files;
  char line[4096];
  while (fgets(line, sizeof(line), pipe)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (!s.empty()) files.push_back(s);
  }
  pclose(pipe);
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::string(VERBATIM_SHARED_DIR) + "/speech/librispeech_untranscribed";
  int threads = 1, repeat = 3;
  bool peer = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::atoi(argv[++i]);
    else if (a == "--peer")
      peer = true;
    else {
      std::fprintf(stderr, "usage: fbank_bench [--dir DIR] [--threads N] [--repeat R] [--peer]\n");
      return 2;
    }
  }
  const std::vector<std::string> files = FindAudio(dir);
  if (files.empty()) {
    std::fprintf(stderr, "fbank_bench: no audio under %s\n", dir.c_str());
    return 1;
  }
  auto t0 = Clock::now();
  std::vector<std::vector<float>> audio;
  double audio_seconds = 0;
  for (const auto& f : files) {
    verbatim::Waveform w = verbatim::ReadAudio(f);
    audio_seconds += w.DurationSeconds();
    audio.push_back(std::move(w.samples));
  }
  auto t1 = Clock::now();
  std::printf("files: %zu, audio: %.1f s (%.1f min); decoding took %.2f s (%.0fx real time)\n",
              files.size(), audio_seconds, audio_seconds / 60, Seconds(t0, t1),
              audio_seconds / Seconds(t0, t1));

  verbatim::FbankOptions opts;
  opts.mel.num_bins = 80;
  opts.frame.dither = 0.0f;
  // Best of `repeat` runs over every file; `per_utterance`: a new Fbank
  // (window, mel filters, FFT plan) for every file, else one for all.
  auto run = [&](bool per_utterance, size_t* frames) {
    const verbatim::Fbank shared(opts);
    double best = 1e30;
    for (int r = 0; r < repeat; ++r) {
      std::atomic<size_t> next{0}, total_frames{0};
      auto start = Clock::now();
      auto worker = [&] {
        for (size_t i; (i = next++) < audio.size();) {
          total_frames += per_utterance ? verbatim::Fbank(opts).Compute(audio[i]).num_frames
                                        : shared.Compute(audio[i]).num_frames;
        }
      };
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
      for (auto& t : pool) t.join();
      best = std::min(best, Seconds(start, Clock::now()));
      *frames = total_frames;
    }
    return best;
  };
  size_t frames = 0;
  const double rebuilt = run(true, &frames);
  const double best = run(false, &frames);
  const double ours = audio_seconds / best;
  std::printf("verbatim fbank (80 bins, %d thread%s): %.3f s for %zu frames -> %.0fx real time\n",
              threads, threads == 1 ? "" : "s", best, frames, ours);
  std::printf("  with a new Fbank per file: %.3f s -> %.0fx real time (%.2f ms per file more)\n",
              rebuilt, audio_seconds / rebuilt,
              1000.0 * (rebuilt - best) * threads / static_cast<double>(files.size()));
  if (!peer) return 0;

  const std::string list = "/tmp/fbank_bench_files.txt";
  FILE* f = std::fopen(list.c_str(), "w");
  for (const auto& p : files) std::fprintf(f, "%s\n", p.c_str());
  std::fclose(f);
  const std::string cmd = "OMP_NUM_THREADS=1 /usr/bin/python3 " + std::string(VERBATIM_BENCH_DIR) +
                          "/fbank_torchaudio.py " + list + " " + std::to_string(repeat);
  FILE* pipe = popen(cmd.c_str(), "r");
  double peer_seconds = -1;
  char line[512];
  while (pipe && fgets(line, sizeof(line), pipe)) {
    std::fputs(line, stdout);
    std::sscanf(line, "torchaudio compute seconds: %lf", &peer_seconds);
  }
  if (pipe) pclose(pipe);
  if (peer_seconds <= 0) {
    std::printf("torchaudio peer did not run (install python3-torchaudio)\n");
    return 1;
  }
  const double theirs = audio_seconds / peer_seconds;
  std::printf("torchaudio.compliance.kaldi.fbank (1 thread): %.0fx real time\n", theirs);
  std::printf("verbatim / torchaudio: %.2fx\n", ours / theirs);
  return 0;
}
