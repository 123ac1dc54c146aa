// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim decode`: batch decoding of a Kaldi data directory with a model
// directory; writes hypotheses (Kaldi `text`) and, when the data has
// transcripts, the scoring report.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "asr/data/kaldi_data_dir.h"
#include "asr/decode/batch_decoder.h"
#include "asr/decode/model_features.h"
#include "asr/decode/search_factory.h"
#include "asr/eval/score_report_writer.h"
#include "asr/eval/wer_scorer.h"
#include "asr/model/model_dir.h"
#include "asr/util/compute_threads.h"
#include "asr/util/parallel_for.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "tools/command.h"
#include "tools/search_flags.h"

namespace verbatim {
namespace {

class DecodeCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "decode",
        "Decode a Kaldi data directory with a model directory. Writes OUT/text (Kaldi text\n"
        "format) and, when DATA has a text file, OUT/report.txt, OUT/score.json and OUT/wer.\n"
        "Example: verbatim decode --model exp/train/model --data data/test --out exp/decode_test");
    sub->add_option("--model", model_dir_, "Model directory (verbatim train)")->required();
    sub->add_option("--data", data_dir_, "Kaldi data directory")->required();
    sub->add_option("--out", out_dir_, "Output directory")->required();
    AddSearchFlags(sub, &search_, &opts_);
    sub->add_option("--max-length-ratio", opts_.max_length_ratio,
                    "Longest output in tokens per encoder frame (0 = as long as the frames)")
        ->capture_default_str();
    sub->add_option("--batch-size", batch_size_, "Utterances per batch")->capture_default_str();
    sub->add_option("--threads", threads_, "Threads (features and LibTorch)")
        ->capture_default_str();
    AddModelLoadFlags(sub, &load_);
    sub->add_flag("--allow-pipes", allow_pipes_, "Run 'command |' entries of wav.scp");
    return sub;
  }

  int Run() override {
    load_.Validate();  // before any work: --int8 is for the CPU only
    SetComputeThreads(threads_);
    torch::NoGradGuard no_grad;
    const auto start = std::chrono::steady_clock::now();
    LoadedModel m = LoadModelDir(model_dir_, load_);
    DataDirOptions data_opts;
    data_opts.allow_pipes = allow_pipes_;
    data_opts.require_text = false;
    const KaldiDataDir data = KaldiDataDir::Read(data_dir_, data_opts);
    std::vector<Utterance> utts = data.utterances();
    std::stable_sort(utts.begin(), utts.end(), [](const Utterance& a, const Utterance& b) {
      return a.duration_s > b.duration_s;  // long first: similar lengths share a batch
    });
    BatchDecoder decoder(m.model, search_, opts_, load_.device);
    const ModelFeatures features(m);
    AudioReadOptions audio;
    audio.sample_rate_hz = features.sample_rate_hz();

    std::vector<std::pair<std::string, std::string>> hyps;
    double audio_seconds = 0.0;
    for (size_t begin = 0; begin < utts.size(); begin += batch_size_) {
      const size_t end = std::min(utts.size(), begin + batch_size_);
      std::vector<FeatureMatrix> feats(end - begin);
      ParallelFor(end - begin, threads_, [&](size_t i) {
        const Waveform wave = data.ReadAudio(utts[begin + i], audio);
        feats[i] = features.Compute(wave.samples);
        Check(feats[i].num_frames > 0, utts[begin + i].id + ": audio shorter than one frame");
      });
      const auto results = decoder.Decode(feats);
      for (size_t i = 0; i < results.size(); ++i) {
        const auto& best = results[i].result.nbest;
        hyps.emplace_back(utts[begin + i].id,
                          best.empty() ? std::string() : m.tokenizer.Decode(best[0].tokens));
        audio_seconds += utts[begin + i].duration_s;
      }
      std::cerr << "\rdecoded " << end << "/" << utts.size() << std::flush;
    }
    std::cerr << "\n";
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::sort(hyps.begin(), hyps.end());
    std::filesystem::create_directories(out_dir_);
    {
      AtomicOutputFile out(out_dir_ + "/text");
      for (const auto& h : hyps)
        out.stream() << h.first << (h.second.empty() ? "" : " ") << h.second << "\n";
      out.Commit();
    }
    std::cerr << "verbatim decode: " << hyps.size() << " utterances, " << audio_seconds
              << " s of audio in " << seconds << " s (real-time factor " << seconds / audio_seconds
              << (load_.int8 ? ", INT8" : "") << ")\n";
    if (std::filesystem::exists(data_dir_ + "/text")) Score(hyps, data);
    return 0;
  }

 private:
  void Score(const std::vector<std::pair<std::string, std::string>>& hyps,
             const KaldiDataDir& data) {
    ScoringInput input;
    for (const Utterance& u : data.utterances()) input.refs.push_back(Transcript{u.id, u.text, 0});
    for (const auto& h : hyps) input.hyps.push_back(Transcript{h.first, h.second, 0});
    const ScoreReport report = WerScorer().Score(input);
    {
      AtomicOutputFile out(out_dir_ + "/report.txt");
      WriteScoreText(report, out.stream());
      out.Commit();
    }
    {
      AtomicOutputFile out(out_dir_ + "/score.json");
      WriteScoreJson(report, out.stream());
      out.Commit();
    }
    AtomicOutputFile out(out_dir_ + "/wer");
    WriteScoreSummary(report, out.stream());
    out.Commit();
    WriteScoreSummary(report, std::cout);
  }

  std::string model_dir_, data_dir_, out_dir_, search_ = "attention";
  ModelLoadOptions load_;
  SearchOptions opts_;
  int batch_size_ = 8;
  int threads_ = 2;
  bool allow_pipes_ = false;
};

VERBATIM_REGISTER_COMMAND(DecodeCommand);

}  // namespace

}  // namespace verbatim
