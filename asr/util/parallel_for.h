// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A minimal thread pool for independent jobs (reading audio headers, checking
// files): fn(i) for every i, on a few threads. The library cannot use
// tools/audio_inputs.h (tools/ sits on top of it), hence this copy of the idea.
#pragma once

#include <cstddef>
#include <functional>

namespace verbatim {

// Calls fn(i) for i in [0, n) on `threads` threads (work is handed out in
// increasing i; fn must be thread-safe). After an exception no new work is
// handed out, and the first exception is rethrown once all threads stopped.
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn);

}  // namespace verbatim
