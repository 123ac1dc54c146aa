// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Which BLAS does LibTorch get here, and how fast is it? Times a float32
// 1024 x 1024 matrix product (what the model's Linear layers reduce to) and
// prints GFLOP/s. It prepares its environment as `verbatim` does (OpenBLAS's
// kernels: asr/util/openblas_core.h). Run it three ways to see the point of
// libopenblas0-pthread and of choosing OpenBLAS's kernels on CPUs it does not know:
//   build/bench/matmul_bench
//   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas build/bench/matmul_bench   # reference BLAS
//   VERBATIM_KEEP_ENVIRONMENT=1 build/bench/matmul_bench   # OpenBLAS's own choice of kernels
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "asr/util/compute_threads.h"
#include "asr/util/openblas_core.h"
#include "asr/util/runtime_environment.h"

int main(int argc, char** argv) {
  verbatim::PrepareRuntimeEnvironment(argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : 1024;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  verbatim::SetComputeThreads(threads);  // LibTorch's and OpenBLAS's threads
  torch::manual_seed(0);
  auto a = torch::randn({n, n});
  auto b = torch::randn({n, n});
  auto c = torch::mm(a, b);  // warm-up
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const std::string core = verbatim::OpenBlasCore();
  std::printf("sgemm %dx%d, %d threads: %.4f s, %.1f GFLOP/s (%s)\n", n, n, threads, best,
              2.0 * n * n * n / best / 1e9,
              core.empty() ? verbatim::BlasDescription().c_str() : ("OpenBLAS, " + core).c_str());
  return 0;
}
