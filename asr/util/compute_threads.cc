// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/compute_threads.h"

#include <torch/torch.h>

#include "asr/util/loaded_symbol.h"
#include "base/error.h"

namespace verbatim {

void SetOpenMpThreadsOfThisThread(int threads) {
  static const auto set = LoadedSymbol<void (*)(int)>("omp_set_num_threads");
  Check(set != nullptr, "this LibTorch has no OpenMP runtime (omp_set_num_threads)");
  set(threads);
}

void SetComputeThreads(int threads) {
  Check(threads >= 1, "threads must be at least 1, got " + std::to_string(threads));
  torch::set_num_threads(threads);
  if (auto set = LoadedSymbol<void (*)(int)>("openblas_set_num_threads")) set(threads);
}

SingleThreadedBlas::SingleThreadedBlas() {
  static const auto get = LoadedSymbol<int (*)()>("openblas_get_num_threads");
  static const auto set = LoadedSymbol<void (*)(int)>("openblas_set_num_threads");
  if (get == nullptr || set == nullptr) return;
  const int threads = get();
  if (threads <= 1) return;
  saved_threads_ = threads;
  set(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  static const auto set = LoadedSymbol<void (*)(int)>("openblas_set_num_threads");
  if (saved_threads_ > 0) set(saved_threads_);
}

std::string BlasDescription() {
  auto get_threads = LoadedSymbol<int (*)()>("openblas_get_num_threads");
  auto get_config = LoadedSymbol<char* (*)()>("openblas_get_config");
  if (get_threads == nullptr) return "not OpenBLAS";
  std::string config = get_config != nullptr ? get_config() : "OpenBLAS";  // "OpenBLAS 0.3.21 ..."
  while (!config.empty() && config.back() == ' ') config.pop_back();
  return config + ", " + std::to_string(get_threads()) + " threads";
}

}  // namespace verbatim
