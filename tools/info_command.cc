// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim info`: what this build and machine give LibTorch (versions,
// threads, OpenMP waiting, BLAS, devices), for bug reports and benchmarks.
#include <ATen/Version.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <ATen/Parallel.h>
#include <xmmintrin.h>

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "asr/util/compute_threads.h"
#include "tools/command.h"
#include "asr/util/runtime_environment.h"

namespace verbatim {
namespace {

// "yes" when every intra-op thread flushes denormals to zero (SSE FTZ and DAZ
// bits of MXCSR), as main() arranges: the check runs on the worker threads
// because each thread has its own MXCSR.
std::string DenormalsFlushed() {
  constexpr unsigned kFtzDaz = 0x8040;
  std::atomic<int> flushing{0};
  std::atomic<int> threads{0};
  at::parallel_for(0, at::get_num_threads(), 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      ++threads;
      if ((_mm_getcsr() & kFtzDaz) == kFtzDaz) ++flushing;
    }
  });
  return flushing == threads ? "yes" : "no";
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

class InfoCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand("info",
                                        "Print versions, threads, OpenMP wait policy, BLAS, "
                                        "allocator and devices, one 'key: value' "
                                        "per line");
    sub->add_flag("--config", show_config_, "Also print LibTorch's build configuration");
    sub->add_option("--threads", threads_,
                    "Set the compute threads first, as train/decode/transcribe do (intra-op and "
                    "BLAS)")
        ->check(CLI::PositiveNumber);
    return sub;
  }

  int Run() override {
    if (threads_ > 0) SetComputeThreads(threads_);
    std::cout << "verbatim: 0.1.0\n"
              << "libtorch: " << TORCH_VERSION << "\n"
              << "intra_op_threads: " << torch::get_num_threads() << "\n"
              << "inter_op_threads: " << torch::get_num_interop_threads() << "\n"
              << "blas: " << BlasDescription() << "\n"
              << "openblas_coretype: " << EnvOr("OPENBLAS_CORETYPE", "(OpenBLAS's own choice)")
              << "\n"
              << "allocator: " << MemoryAllocatorDescription() << "\n"
              << "omp_wait_policy: " << EnvOr("OMP_WAIT_POLICY", "(libgomp default)") << "\n"
              << "gomp_spincount: " << EnvOr("GOMP_SPINCOUNT", "(libgomp default)") << "\n"
              << "onednn_max_cpu_isa: " << EnvOr("ONEDNN_MAX_CPU_ISA", "(oneDNN default)") << "\n"
              << "flush_denormals: " << DenormalsFlushed() << "\n"
              << "cuda_available: " << (torch::cuda::is_available() ? "yes" : "no") << "\n"
              << "cuda_devices: " << torch::cuda::device_count() << "\n";
    if (show_config_) std::cout << at::show_config() << "\n";
    return 0;
  }

 private:
  bool show_config_ = false;
  int threads_ = 0;  // 0: leave LibTorch's and the BLAS's defaults
};

VERBATIM_REGISTER_COMMAND(InfoCommand);

}  // namespace
}  // namespace verbatim
