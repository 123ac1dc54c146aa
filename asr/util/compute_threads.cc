// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/compute_threads.h"

#include <dlfcn.h>
#include <torch/torch.h>

#include "frontend/error.h"

namespace verbatim {
namespace {

// OpenBLAS's own API, looked up at run time: the BLAS behind libblas.so.3 is
// chosen by Debian's alternatives (OpenBLAS, BLIS, the reference BLAS), so it
// cannot be linked against by name.
template <typename Fn>
Fn OpenBlasSymbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

void SetOpenMpThreadsOfThisThread(int threads) {
  // LibTorch brings libgomp; looked up like OpenBLAS so that Verbatim need
  // not link it itself.
  static const auto set = OpenBlasSymbol<void (*)(int)>("omp_set_num_threads");
  Check(set != nullptr, "this LibTorch has no OpenMP runtime (omp_set_num_threads)");
  set(threads);
}

void SetComputeThreads(int threads) {
  Check(threads >= 1, "threads must be at least 1, got " + std::to_string(threads));
  torch::set_num_threads(threads);
  if (auto set = OpenBlasSymbol<void (*)(int)>("openblas_set_num_threads")) set(threads);
}

SingleThreadedBlas::SingleThreadedBlas() {
  static const auto get = OpenBlasSymbol<int (*)()>("openblas_get_num_threads");
  static const auto set = OpenBlasSymbol<void (*)(int)>("openblas_set_num_threads");
  if (get == nullptr || set == nullptr) return;
  const int threads = get();
  if (threads <= 1) return;
  saved_threads_ = threads;
  set(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  static const auto set = OpenBlasSymbol<void (*)(int)>("openblas_set_num_threads");
  if (saved_threads_ > 0) set(saved_threads_);
}

std::string BlasDescription() {
  auto get_threads = OpenBlasSymbol<int (*)()>("openblas_get_num_threads");
  auto get_config = OpenBlasSymbol<char* (*)()>("openblas_get_config");
  if (get_threads == nullptr) return "not OpenBLAS";
  std::string config = get_config != nullptr ? get_config() : "OpenBLAS";  // "OpenBLAS 0.3.21 ..."
  while (!config.empty() && config.back() == ' ') config.pop_back();
  return config + ", " + std::to_string(get_threads()) + " threads";
}

}  // namespace verbatim
