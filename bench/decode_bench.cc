// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Decoding real-time factor (compute seconds / audio seconds) of the joint
// CTC/attention beam search (beam 10, CTC weight 0.3 unless told otherwise),
// one utterance at a time and in batches of 8 utterances (longest first, as
// `verbatim decode` batches them), on real LibriSpeech audio (default: 40 files
// evenly spaced over ../shared/speech/librispeech_untranscribed; --all for
// all 351), with 1 and 2 threads, for
//   (a) a trained model directory (--model, e.g. the mini recipe's), and
//   (b) a LibriSpeech-size model with random weights (d_model 512, 8 heads,
//       FFN 2048, 12 encoder / 6 decoder layers, vocabulary 5000, 80 bins)
//       whose outputs are forced to about 3 tokens per second (see
//       ForceRealisticLength).
// In the same run: the naive reference search (tests/reference/naive_beam_search.h:
// one hypothesis at a time, no key/value cache) on the first --naive-files
// of those files, checked to give the same best hypotheses; and Debian's
// pocketsphinx_continuous (pocketsphinx-en-us models) on the same audio as an
// outside reference. With --int8, each model is then run again with INT8
// linear layers (AsrModelImpl::QuantizeInt8: dynamic quantization), and its
// best hypotheses are compared with float32's; --int8-min-macs and
// --int8-min-rows set Int8Options (0 and 0: every product in INT8).
// Feature extraction is timed separately; audio reading is not counted.
// Besides the wall clock, the process's CPU time is reported: on a busy
// machine, with one thread, it is close to what the wall clock shows on a
// quiet one.
//
//   OMP_WAIT_POLICY=PASSIVE build/bench/decode_bench --model recipes/mini/exp/train/model
//       [--dir DIR] [--files N | --all] [--naive-files N] [--batch-size N] [--threads 1,2]
//       [--beam B] [--ctc-weight W] [--int8] [--int8-min-macs N] [--int8-min-rows N]
//       [--no-large] [--no-pocketsphinx]
#include <sys/resource.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "asr/decode/model_features.h"
#include "asr/model/int8_linear.h"
#include "asr/model/model_dir.h"
#include "asr/search/attention_beam_search.h"
#include "asr/util/compute_threads.h"
#include "asr/util/runtime_environment.h"
#include "frontend/audio_reader.h"
#include "frontend/fbank.h"
#include "tests/reference/naive_beam_search.h"

namespace {

using Clock = std::chrono::steady_clock;
using verbatim::AsrModel;
using verbatim::FeatureMatrix;
using verbatim::SearchOptions;
using verbatim::SearchResult;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds of the whole process (all threads). On a busy machine, with
// one thread, this is close to what the wall clock would show on a quiet one.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// CPU seconds of the finished child processes.
double ChildCpuSeconds() {
  rusage u;
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

std::vector<std::string> FindAudio(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".flac" || ext == ".wav")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// `n` files evenly spaced over the sorted list (both LibriSpeech subsets).
std::vector<std::string> Spread(const std::vector<std::string>& files, size_t n) {
  if (n >= files.size()) return files;
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(files[i * files.size() / n]);
  return out;
}

struct Corpus {
  std::vector<std::string> files;
  std::vector<std::vector<float>> audio;  // 16 kHz samples at the 16-bit scale
  std::vector<double> seconds;
  double total_seconds = 0.0;
};

// (1, T, C) feature tensor and its length.
struct Feats {
  torch::Tensor x, length;
};

Feats ToTensor(const FeatureMatrix& m) {
  auto x =
      torch::from_blob(const_cast<float*>(m.data.data()), {1, m.num_frames, m.dim}, torch::kFloat32)
          .clone();
  return {x, torch::tensor({static_cast<int64_t>(m.num_frames)})};
}

struct RunFigures {
  double encoder_s = 0.0, search_s = 0.0, audio_s = 0.0;  // wall clock
  double encoder_cpu = 0.0, search_cpu = 0.0;             // CPU time, all threads
  int64_t tokens = 0;
  std::vector<std::vector<int>> best;  // best hypothesis of each file
};

using EditFn = void (*)(verbatim::EncoderOutput*);

// (N, T, C) padded batch of feats[index[i]].
Feats Batch(const std::vector<Feats>& feats, const std::vector<size_t>& index) {
  int64_t frames = 0;
  for (size_t i : index) frames = std::max(frames, feats[i].x.size(1));
  auto x = torch::zeros({static_cast<int64_t>(index.size()), frames, feats[index[0]].x.size(2)});
  std::vector<int64_t> lengths;
  for (size_t j = 0; j < index.size(); ++j) {
    const auto& f = feats[index[j]].x;
    x[j].narrow(0, 0, f.size(1)).copy_(f[0]);
    lengths.push_back(f.size(1));
  }
  return {x, torch::tensor(lengths)};
}

// Decodes the first `count` utterances with `search`, `batch` at a time
// (longest first when batch > 1, as `verbatim decode` does); `edit` (may be
// null) changes the encoder output before the search, untimed.
template <typename SearchT>
RunFigures Run(AsrModel& model, SearchT& search, const std::vector<Feats>& feats,
               const Corpus& corpus, size_t count, EditFn edit, size_t batch = 1) {
  RunFigures f;
  f.best.resize(count);
  torch::NoGradGuard no_grad;
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  if (batch > 1)
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return feats[a].x.size(1) > feats[b].x.size(1); });
  for (size_t begin = 0; begin < count; begin += batch) {
    const std::vector<size_t> index(order.begin() + begin,
                                    order.begin() + std::min(count, begin + batch));
    const Feats in = index.size() == 1 ? feats[index[0]] : Batch(feats, index);
    auto start = Clock::now();
    double cpu = CpuSeconds();
    auto enc = model->EncodeForInference(in.x, in.length);
    f.encoder_s += Since(start);
    f.encoder_cpu += CpuSeconds() - cpu;
    if (edit) edit(&enc);
    start = Clock::now();
    cpu = CpuSeconds();
    const std::vector<SearchResult> r = search.DecodeEncoded(model, enc);
    f.search_s += Since(start);
    f.search_cpu += CpuSeconds() - cpu;
    for (size_t j = 0; j < index.size(); ++j) {
      f.audio_s += corpus.seconds[index[j]];
      f.best[index[j]] = r[j].nbest.empty() ? std::vector<int>() : r[j].nbest[0].tokens;
      f.tokens += static_cast<int64_t>(f.best[index[j]].size());
    }
  }
  return f;
}

void Print(const char* what, int threads, const RunFigures& f) {
  const double total = f.encoder_s + f.search_s, cpu = f.encoder_cpu + f.search_cpu;
  std::printf(
      "  %-13s %d thread%s: RTF %.4f (encoder %.4f, search %.4f); CPU-time RTF %.4f (encoder "
      "%.4f, search %.4f); %.2f tokens/s\n",
      what, threads, threads == 1 ? " " : "s", total / f.audio_s, f.encoder_s / f.audio_s,
      f.search_s / f.audio_s, cpu / f.audio_s, f.encoder_cpu / f.audio_s, f.search_cpu / f.audio_s,
      f.tokens / f.audio_s);
  std::fflush(stdout);
}

struct BenchOptions {
  std::vector<int> threads = {1, 2};
  size_t naive_files = 8;
  size_t batch = 8;  // utterances per batch of the batched run (1: none)
  SearchOptions search;
  verbatim::Int8Options int8;
};

// Fast search with each thread count, then the naive search on the first
// files with one thread, compared on the same files. Returns the best
// hypotheses of the first unbatched run.
std::vector<std::vector<int>> BenchModel(AsrModel& model, const std::vector<Feats>& feats,
                                         const Corpus& corpus, const BenchOptions& opts,
                                         EditFn edit = nullptr) {
  model->eval();
  verbatim::AttentionBeamSearch fast(opts.search);
  std::vector<std::vector<int>> best;
  for (int threads : opts.threads) {
    verbatim::SetComputeThreads(threads);
    Run(model, fast, feats, corpus, 1, edit);  // warm-up
    RunFigures f = Run(model, fast, feats, corpus, feats.size(), edit);
    Print("beam search", threads, f);
    if (best.empty()) best = std::move(f.best);
    if (opts.batch > 1) {
      char what[32];
      std::snprintf(what, sizeof(what), "batch of %zu", opts.batch);
      Print(what, threads, Run(model, fast, feats, corpus, feats.size(), edit, opts.batch));
    }
  }
  const size_t n = std::min(opts.naive_files, feats.size());
  if (n == 0) return best;
  verbatim::SetComputeThreads(1);
  verbatim::NaiveBeamSearch naive(opts.search);
  RunFigures slow = Run(model, naive, feats, corpus, n, edit);
  RunFigures fast_n = Run(model, fast, feats, corpus, n, edit);
  size_t same = 0;
  for (size_t i = 0; i < n; ++i) same += slow.best[i] == fast_n.best[i];
  std::printf("  first %zu files, 1 thread:\n", n);
  Print("naive search", 1, slow);
  Print("beam search", 1, fast_n);
  std::printf(
      "  beam search vs naive search, CPU time: %.1fx faster (search only: %.1fx); "
      "same best hypothesis on %zu/%zu files\n",
      (slow.encoder_cpu + slow.search_cpu) / (fast_n.encoder_cpu + fast_n.search_cpu),
      slow.search_cpu / fast_n.search_cpu, same, n);
  std::fflush(stdout);
  return best;
}

// The same with INT8 linear layers (no naive search), compared with the
// float32 best hypotheses `fp32`.
void BenchInt8(AsrModel& model, const std::vector<Feats>& feats, const Corpus& corpus,
               BenchOptions opts, const std::vector<std::vector<int>>& fp32,
               EditFn edit = nullptr) {
  model->QuantizeInt8(opts.int8);
  std::printf("  INT8 linear layers (engine %s, products from %lld multiply-adds and %lld rows):\n",
              verbatim::SelectInt8Engine().c_str(), static_cast<long long>(opts.int8.min_macs),
              static_cast<long long>(opts.int8.min_rows));
  opts.naive_files = 0;
  const auto int8 = BenchModel(model, feats, corpus, opts, edit);
  size_t same = 0;
  for (size_t i = 0; i < int8.size() && i < fp32.size(); ++i) same += int8[i] == fp32[i];
  std::printf("  INT8 vs float32: same best hypothesis on %zu/%zu files\n", same, fp32.size());
  std::fflush(stdout);
}

// Features of every file, timed (one thread).
template <typename ComputeF>
std::vector<Feats> Features(const Corpus& corpus, ComputeF compute) {
  const auto start = Clock::now();
  std::vector<Feats> feats;
  for (const auto& a : corpus.audio) feats.push_back(ToTensor(compute(a)));
  std::printf("  features: RTF %.4f\n", Since(start) / corpus.total_seconds);
  return feats;
}

// Random weights give random output lengths, mostly the maximum (one token
// per encoder frame, 25 per second). To make the search do a realistic
// amount of work (about 3 tokens per second, the search ending soon after),
// the random model is changed in two places that cost nothing:
//  - the decoder's output bias is +10 for <eos> and 14 tokens S = {3..16},
//    so the attention pre-beam (15 tokens) is always S + <eos> (the other
//    logits are random with a spread of about 0.6);
//  - the CTC head reads a script: its weights are zero except weight 1 from
//    encoder output channel i to token S[i] (i < 14) and from channel 14 to
//    blank, and every token outside S and blank has a bias of -20. After
//    the encoder has run (timed in full), channels 0..14 of its output are
//    overwritten with the script (ScriptTokens): 12 on the channel of the
//    frame's token at 0.12 tokens per 40 ms frame (3 per second), 12 on the
//    blank channel elsewhere. The CTC posteriors are then as peaky as a
//    trained model's, and its best path has 3 tokens per second.
// The CTC prefix score rules out extensions off the path and <eos> before
// its end (a penalty of about 12 nats a frame), so hypotheses end after
// about 3 tokens per second of audio. The decoder still computes
// everything; its cost does not depend on the weights' values.
constexpr int64_t kScriptTokens = 14, kScriptFirst = 3;
constexpr double kScriptAmplitude = 12.0, kTokensPerFrame = 0.12;

void ForceRealisticLength(AsrModel& model) {
  torch::NoGradGuard no_grad;
  auto params = model->named_parameters();
  auto out_bias = params["decoder.output.bias"];
  auto ctc_w = params["ctc.weight"], ctc_b = params["ctc.bias"];
  const auto s = torch::arange(kScriptFirst, kScriptFirst + kScriptTokens);
  out_bias.index_fill_(0, s, 10.0).index_fill_(0, torch::tensor({verbatim::kSosEosId}), 10.0);
  ctc_w.zero_();
  ctc_b.fill_(-20.0);
  for (int64_t i = 0; i < kScriptTokens; ++i) {
    ctc_w[kScriptFirst + i][i] = 1.0;
    ctc_b[kScriptFirst + i] = 0.0;
  }
  ctc_w[verbatim::kBlankId][kScriptTokens] = 1.0;
  ctc_b[verbatim::kBlankId] = 0.0;
}

// Writes the CTC script into channels 0..14 of enc->out.
void ScriptTokens(verbatim::EncoderOutput* enc) {
  const auto lengths = enc->lengths.to(torch::kCPU);
  for (int64_t n = 0; n < enc->out.size(0); ++n) {
    const int64_t frames = lengths[n].item<int64_t>();
    auto script = torch::zeros({frames, kScriptTokens + 1});
    int64_t emitted = 0;
    for (int64_t t = 0; t < frames; ++t) {
      const bool emit = std::floor((t + 1) * kTokensPerFrame) > std::floor(t * kTokensPerFrame);
      script[t][emit ? (5 * emitted++) % kScriptTokens : kScriptTokens] = kScriptAmplitude;
    }
    enc->out[n].narrow(0, 0, frames).narrow(1, 0, kScriptTokens + 1).copy_(script);
  }
}

void BenchPocketSphinx(const Corpus& corpus) {
  if (std::system("command -v pocketsphinx_continuous >/dev/null 2>&1") != 0) {
    std::printf(
        "pocketsphinx: pocketsphinx_continuous not found (tools/install_deps.sh --bench)\n");
    return;
  }
  const std::string wav = std::filesystem::temp_directory_path() /
                          ("decode_bench_" + std::to_string(getpid()) + ".wav");
  std::string cmd = "sox";
  for (const auto& f : corpus.files) cmd += " '" + f + "'";
  cmd += " -r 16000 -c 1 -b 16 '" + wav + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::printf("pocketsphinx: sox could not concatenate the audio\n");
    return;
  }
  const auto start = Clock::now();
  const double cpu = ChildCpuSeconds();
  const std::string run =
      "pocketsphinx_continuous -infile '" + wav + "' -logfn /dev/null > /dev/null";
  const int status = std::system(run.c_str());
  const double seconds = Since(start), cpu_seconds = ChildCpuSeconds() - cpu;
  std::filesystem::remove(wav);
  if (status != 0) {
    std::printf("pocketsphinx: pocketsphinx_continuous failed\n");
    return;
  }
  std::printf(
      "pocketsphinx_continuous (en-us, 1 thread, model loading included): RTF %.4f; CPU-time "
      "RTF %.4f\n",
      seconds / corpus.total_seconds, cpu_seconds / corpus.total_seconds);
}

std::vector<int> ParseList(const std::string& s) {
  std::vector<int> out;
  size_t begin = 0;
  while (begin <= s.size()) {
    const size_t end = std::min(s.find(',', begin), s.size());
    out.push_back(std::atoi(s.substr(begin, end - begin).c_str()));
    begin = end + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  verbatim::PrepareRuntimeEnvironment(argv);  // as `verbatim` does: OpenMP, OpenBLAS's kernels
  // As in `verbatim` (tools/main.cc): trained models reach denormal floats.
  at::globalContext().setFlushDenormal(true);
  std::string dir = std::string(VERBATIM_SHARED_DIR) + "/speech/librispeech_untranscribed";
  std::string model_dir;
  size_t files = 40;
  bool large = true, sphinx = true, int8 = false;
  BenchOptions opts;
  opts.search.beam = 10;
  opts.search.ctc_weight = 0.3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool value = i + 1 < argc;
    if (a == "--dir" && value)
      dir = argv[++i];
    else if (a == "--model" && value)
      model_dir = argv[++i];
    else if (a == "--files" && value)
      files = std::atoi(argv[++i]);
    else if (a == "--all")
      files = static_cast<size_t>(-1);
    else if (a == "--naive-files" && value)
      opts.naive_files = std::atoi(argv[++i]);
    else if (a == "--batch-size" && value)
      opts.batch = std::atoi(argv[++i]);
    else if (a == "--threads" && value)
      opts.threads = ParseList(argv[++i]);
    else if (a == "--beam" && value)
      opts.search.beam = std::atoi(argv[++i]);
    else if (a == "--ctc-weight" && value)
      opts.search.ctc_weight = std::atof(argv[++i]);
    else if (a == "--int8")
      int8 = true;
    else if (a == "--int8-min-macs" && value)
      opts.int8.min_macs = std::atoll(argv[++i]);
    else if (a == "--int8-min-rows" && value)
      opts.int8.min_rows = std::atoll(argv[++i]);
    else if (a == "--no-large")
      large = false;
    else if (a == "--no-pocketsphinx")
      sphinx = false;
    else {
      std::fprintf(stderr,
                   "usage: decode_bench [--model DIR] [--dir DIR] [--files N | --all] "
                   "[--naive-files N] [--batch-size N] [--threads 1,2] [--beam B] [--ctc-weight W] "
                   "[--int8] [--int8-min-macs N] [--int8-min-rows N] [--no-large] "
                   "[--no-pocketsphinx]\n");
      return 2;
    }
  }
  try {
    Corpus corpus;
    corpus.files = Spread(FindAudio(dir), files);
    if (corpus.files.empty()) {
      std::fprintf(stderr, "decode_bench: no audio under %s\n", dir.c_str());
      return 1;
    }
    verbatim::AudioReadOptions read;
    read.sample_rate_hz = 16000;
    for (const auto& f : corpus.files) {
      verbatim::Waveform w = verbatim::ReadAudio(f, read);
      corpus.seconds.push_back(w.DurationSeconds());
      corpus.total_seconds += w.DurationSeconds();
      corpus.audio.push_back(std::move(w.samples));
    }
    std::printf("decode_bench: %zu files, %.1f s of audio; beam %d, ctc_weight %.2f\n",
                corpus.files.size(), corpus.total_seconds, opts.search.beam,
                opts.search.ctc_weight);
    if (!model_dir.empty()) {
      verbatim::LoadedModel m = verbatim::LoadModelDir(model_dir);
      const verbatim::ModelFeatures mf(m);
      std::printf("(a) %s (d_model %d, %d/%d layers, vocabulary %d)\n", model_dir.c_str(),
                  m.config.model.d_model, m.config.model.encoder_layers,
                  m.config.model.decoder_layers, m.config.model.vocab_size);
      const auto feats =
          Features(corpus, [&](const std::vector<float>& a) { return mf.Compute(a); });
      const auto best = BenchModel(m.model, feats, corpus, opts);
      if (int8) BenchInt8(m.model, feats, corpus, opts, best);
    }
    if (large) {
      torch::manual_seed(0);
      verbatim::ModelOptions o;
      o.vocab_size = 5000;
      o.d_model = 512;
      o.num_heads = 8;
      o.ffn_dim = 2048;
      o.encoder_layers = 12;
      o.decoder_layers = 6;
      AsrModel model(o);
      verbatim::FbankOptions fo;
      fo.frame.dither = 0.0f;
      fo.mel.num_bins = 80;
      std::printf(
          "(b) LibriSpeech-size model, random weights (d_model 512, 12/6 layers, "
          "vocabulary 5000)\n");
      const auto feats = Features(
          corpus, [&](const std::vector<float>& a) { return verbatim::Fbank(fo).Compute(a); });
      ForceRealisticLength(model);
      const auto best = BenchModel(model, feats, corpus, opts, ScriptTokens);
      if (int8) BenchInt8(model, feats, corpus, opts, best, ScriptTokens);
    }
    if (sphinx) BenchPocketSphinx(corpus);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decode_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
