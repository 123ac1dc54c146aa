// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim train`: trains a Transformer CTC/attention model on Kaldi data
// directories and exports a model directory.
//
// Data-parallel: start one process per rank (same command line, or torchrun's
// environment variables), e.g. on one machine with two processes:
//   verbatim train ... --world-size 2 --rank 0 &  verbatim train ... --world-size 2 --rank 1
// Rank 0 writes everything (config, checkpoints, log, model directory).
//
// SIGINT / SIGTERM: the current optimizer step finishes, a checkpoint is
// written, and the process exits with status 130 (SIGINT) or 143 (SIGTERM),
// the shell's convention for "stopped by a signal", so that a recipe does not
// go on to decode an unfinished model; --resume continues. A second signal
// exits at once (status 130/143, nothing written).
#include <torch/torch.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "asr/data/kaldi_data_dir.h"
#include "asr/model/model_dir.h"
#include "asr/text/tokenizer.h"
#include "asr/train/model_initializer.h"
#include "asr/train/train_config.h"
#include "asr/train/trainer.h"
#include "asr/util/compute_threads.h"
#include "base/error.h"
#include "tools/command.h"
#include "tools/experiment_dir.h"
#include "tools/training_progress.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void OnStopSignal(int signal) {
  if (g_stop_signal != 0) _exit(128 + signal);  // the second one: at once
  g_stop_signal = signal;
  const char message[] =
      "\nverbatim train: stopping after this step (a second signal stops at once)\n";
  const ssize_t ignored = write(2, message, sizeof(message) - 1);
  (void)ignored;
}

void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct EncodedSet {
  std::vector<Utterance> utts;
  std::vector<std::vector<int>> tokens;
  std::vector<double> durations;
};

EncodedSet Encode(const std::string& dir, const Tokenizer& tokenizer) {
  EncodedSet set;
  int empty = 0;
  const KaldiDataDir data = KaldiDataDir::Read(dir);
  for (const Utterance& u : data.utterances()) {
    std::vector<int> t = tokenizer.Encode(u.text);
    if (t.empty()) {
      ++empty;
      continue;
    }
    set.utts.push_back(u);
    set.tokens.push_back(std::move(t));
    set.durations.push_back(u.duration_s);
  }
  std::cerr << dir << ": " << set.utts.size() << " utterances";
  if (empty > 0) std::cerr << " (" << empty << " with an empty transcript skipped)";
  std::cerr << "\n";
  Check(!set.utts.empty(), dir + ": no utterance with a transcript");
  return set;
}

class TrainCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "train",
        "Train a Transformer CTC/attention model on Kaldi data directories.\n"
        "Writes EXP/config.yaml (resolved configuration), EXP/checkpoints/, EXP/train.log.jsonl\n"
        "and finally a model directory (EXP/model unless --export) from the average of the\n"
        "last --average epoch checkpoints.\n"
        "Example: verbatim train --config conf/train.yaml --train data/train --dev data/dev\n"
        "           --tokenizer exp/tokenizer --cmvn exp/cmvn.txt --exp exp/train");
    sub->add_option("--config", config_path_, "YAML configuration (every key optional)");
    sub->add_option("--train", train_dir_, "Training data directory")->required();
    sub->add_option("--dev", dev_dir_, "Validation data directory");
    sub->add_option("--tokenizer", tokenizer_dir_, "Tokenizer directory")->required();
    sub->add_option("--cmvn", cmvn_path_, "Global CMVN statistics (verbatim compute-cmvn)");
    sub->add_option("--exp", exp_dir_, "Experiment directory")->required();
    sub->add_option("--export", export_dir_, "Model directory to write (default EXP/model)");
    sub->add_option("--average", average_, "Epoch checkpoints averaged into the exported model")
        ->capture_default_str();
    sub->add_option("--average-from", average_from_,
                    "last: the newest epoch checkpoints; best: those listed in checkpoints/best "
                    "(by training.best_metric)")
        ->check(CLI::IsMember({"last", "best"}))
        ->capture_default_str();
    sub->add_flag("--resume", resume_, "Continue from the newest checkpoint in EXP");
    sub->add_option("--init", init_dir_,
                    "Start from the weights of this model directory (fine-tuning; overrides "
                    "init.model_dir). Its CMVN statistics are used unless --cmvn is given");
    sub->add_option("--init-parts", init_parts_,
                    "Copy only these parts of --init's model, e.g. encoder (overrides init.parts)");
    sub->add_option("--freeze-encoder-steps", freeze_encoder_steps_,
                    "Optimizer steps during which the encoder does not change (overrides "
                    "training.freeze_encoder_steps)");
    sub->add_option("--device", device_, "cpu, cuda or cuda:N (overrides the config)");
    sub->add_option("--threads", threads_, "Intra-op threads of LibTorch")->capture_default_str();
    sub->add_option("--epochs", epochs_, "Overrides training.epochs");
    sub->add_option("--max-steps", max_steps_, "Overrides training.max_steps");
    sub->add_option("--seed", seed_, "Overrides training.seed");
    sub->add_option("--precision", precision_, "fp32 or bf16 (overrides training.precision)");
    sub->add_option("--world-size", world_size_,
                    "Data-parallel processes in the job (default: $WORLD_SIZE, else 1)");
    sub->add_option("--rank", rank_, "This process, 0..world-size-1 (default: $RANK, else 0)");
    sub->add_option("--master-addr", master_addr_,
                    "Host of rank 0, which hosts the rendezvous store (default: $MASTER_ADDR, "
                    "else 127.0.0.1)");
    sub->add_option("--master-port", master_port_,
                    "TCP port of the rendezvous store (default: $MASTER_PORT, else 29500)");
    sub->add_option("--rendezvous-timeout", rendezvous_timeout_s_,
                    "Seconds to wait for all ranks to join")
        ->capture_default_str();
    return sub;
  }

  int Run() override {
    TrainConfig config;
    if (!config_path_.empty()) config = ReadTrainConfig(config_path_);
    if (!device_.empty()) config.trainer.device = device_;
    if (epochs_ > 0) config.trainer.epochs = epochs_;
    if (max_steps_ >= 0) config.trainer.max_steps = max_steps_;
    if (seed_ >= 0) config.trainer.seed = static_cast<uint64_t>(seed_);
    if (!precision_.empty()) config.trainer.precision = precision_;
    if (!init_dir_.empty()) config.init.model_dir = init_dir_;
    if (!init_parts_.empty()) config.init.parts = init_parts_;
    if (freeze_encoder_steps_ >= 0) config.trainer.freeze_encoder_steps = freeze_encoder_steps_;
    SetComputeThreads(threads_);
    DistributedOptions dist;
    dist.ReadEnvironment();
    if (world_size_ > 0) dist.world_size = world_size_;
    if (rank_ >= 0) dist.rank = rank_;
    if (!master_addr_.empty()) dist.master_addr = master_addr_;
    if (master_port_ > 0) dist.master_port = master_port_;
    dist.rendezvous_timeout_s = rendezvous_timeout_s_;
    dist.Validate();
    const bool main_rank = dist.rank == 0;

    const Tokenizer tokenizer = Tokenizer::Load(tokenizer_dir_);
    config.Resolve(tokenizer.vocab_size());
    const std::string& init_dir = config.init.model_dir;
    if (cmvn_path_.empty() && !init_dir.empty() && fs::exists(init_dir + "/cmvn.txt")) {
      // The encoder learned on features normalized with these statistics.
      cmvn_path_ = init_dir + "/cmvn.txt";
      std::cerr << "cmvn: " << cmvn_path_ << " (the initial model's)\n";
    }
    if (!cmvn_path_.empty()) config.data.cmvn = CmvnStats::Load(cmvn_path_);
    if (main_rank) fs::create_directories(exp_dir_);

    EncodedSet train = Encode(train_dir_, tokenizer);
    BatchSampler sampler(train.durations, config.batching);
    std::cerr << "training set: " << sampler.FilterSummary() << "\n";
    DataLoader train_loader(train.utts, train.tokens, config.data);

    std::unique_ptr<DataLoader> dev_loader;
    std::vector<std::vector<int>> dev_batches;
    if (!dev_dir_.empty()) {
      EncodedSet dev = Encode(dev_dir_, tokenizer);
      dev_batches = BatchSampler(dev.durations, config.DevBatching()).Batches(0);
      dev_loader = std::make_unique<DataLoader>(dev.utts, dev.tokens, config.DevData());
    }

    torch::manual_seed(config.trainer.seed);
    AsrModel model(config.model);
    int64_t parameters = 0;
    for (const auto& p : model->parameters()) parameters += p.numel();
    std::cerr << "model: " << parameters << " parameters, vocabulary " << config.model.vocab_size
              << "\n";
    if (!init_dir.empty())
      std::cerr << "init: " << init_dir << ": "
                << InitializeModel(model, config.data.fbank, tokenizer, config.init).Summary()
                << "\n";
    if (dist.world_size > 1)
      std::cerr << "distributed: rank " << dist.rank << " of " << dist.world_size
                << ", waiting for the others at " << dist.master_addr << ":" << dist.master_port
                << "\n";
    DistributedGroup group(dist, torch::Device(config.trainer.device));
    Trainer trainer(model, config.trainer, exp_dir_, TrainConfigToYaml(config), &group);
    TrainingProgress progress;
    trainer.SetObserver(&progress);  // the trainer reports on the main rank only
    trainer.SetDetokenizer(
        [&tokenizer](const std::vector<int>& ids) { return tokenizer.Decode(ids); });
    // config.yaml is written once the run has started: a --resume that fails
    // (a config that does not fit the checkpoint) keeps the one that fits.
    trainer.SetOnStarted([&] {
      if (main_rank) WriteTrainConfig(exp_dir_ + "/config.yaml", config);
    });
    g_stop_signal = 0;
    InstallStopHandlers();
    trainer.SetStopRequest([] { return g_stop_signal != 0; });
    const TrainOutcome outcome =
        trainer.Train(&train_loader, sampler, dev_loader.get(), dev_batches, resume_);
    if (train_loader.num_failed() > 0)
      std::cerr << "warning: " << train_loader.num_failed()
                << " utterance loads failed and were skipped, e.g. "
                << train_loader.failures().front() << "\n";
    if (trainer.skipped_batches() > 0)
      std::cerr << "warning: " << trainer.skipped_batches()
                << " batch(es) with a non-finite loss were skipped\n";
    if (outcome == TrainOutcome::kInterrupted) {
      const int signal = g_stop_signal != 0 ? static_cast<int>(g_stop_signal) : SIGINT;
      if (main_rank)
        std::cerr << "verbatim train: stopped by " << (signal == SIGTERM ? "SIGTERM" : "SIGINT")
                  << " at step " << trainer.step() << "; checkpoint " << trainer.LatestCheckpoint()
                  << "; continue with --resume\n";
      return 128 + signal;
    }
    if (!main_rank) return 0;

    const ExperimentDir exp(exp_dir_);
    std::vector<std::string> epochs;
    if (average_from_ == "best") {
      epochs = exp.BestCheckpoints(average_);
    } else {
      // Not LastCheckpoints(): a run stopped by max_steps may have no epoch
      // checkpoint, and still exports its current weights.
      epochs = exp.EpochCheckpoints();
      if (static_cast<int>(epochs.size()) > average_)
        epochs.erase(epochs.begin(), epochs.end() - average_);
    }
    const std::string out = export_dir_.empty() ? exp_dir_ + "/model" : export_dir_;
    ExportAveragedModel(model, config, epochs, tokenizer_dir_, cmvn_path_, out);
    std::cerr << "model directory: " << out << " (average of " << epochs.size() << " "
              << average_from_ << " epoch checkpoint(s))\n";
    return 0;
  }

 private:
  std::string config_path_, train_dir_, dev_dir_, tokenizer_dir_, cmvn_path_, exp_dir_;
  std::string export_dir_, device_, precision_, master_addr_, init_dir_;
  std::vector<std::string> init_parts_;
  int64_t freeze_encoder_steps_ = -1;
  std::string average_from_ = "last";
  int average_ = 1;
  int world_size_ = 0;
  int rank_ = -1;
  int master_port_ = 0;
  double rendezvous_timeout_s_ = 300.0;
  bool resume_ = false;
  int threads_ = 2;
  int epochs_ = 0;
  int64_t max_steps_ = -1;
  int64_t seed_ = -1;
};

VERBATIM_REGISTER_COMMAND(TrainCommand);

}  // namespace

}  // namespace verbatim
