// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// One thread count for all of LibTorch's CPU compute. Debian's LibTorch runs
// its matrix products in the system BLAS, and OpenBLAS (the pthreads build)
// keeps a thread pool of its own, sized by the machine and not by
// torch::set_num_threads: a `--threads 1` training process still ran every
// product on two threads, and the idle pool thread spun in sched_yield (a
// fifth of its samples in a profile), taking the core from whatever else
// runs, such as a second training process.
#pragma once

#include <string>

namespace verbatim {

// Sets LibTorch's intra-op threads and, when the BLAS is OpenBLAS, its pool
// to `threads` (>= 1).
void SetComputeThreads(int threads);

// Sets the OpenMP team size of the calling thread only (its nthreads ICV):
// LibTorch and oneDNN code run from this thread then use `threads` threads.
void SetOpenMpThreadsOfThisThread(int threads);

// Holds OpenBLAS to one thread while it lives (no-op for other BLAS
// libraries): for code that runs many small products in parallel itself,
// where OpenBLAS's own threads would only fight over the cores.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int saved_threads_ = 0;  // 0: nothing to restore
};

// "OpenBLAS <version and build>, N threads", or "not OpenBLAS" (another BLAS: its threads
// are its own business).
std::string BlasDescription();

}  // namespace verbatim
