// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// OpenMP threads that spin while waiting for work cost 1.4x to 4x in speed on
// small machines (measured on 2 cores: LibTorch training at 20x real time with
// libgomp's default spinning, 28x with passive waiting, and up to 4x slower by
// default when another process competes for the cores). libgomp reads
// OMP_WAIT_POLICY / GOMP_SPINCOUNT once, when it is loaded, which is before
// main() since LibTorch links it; so the only way for the binary to choose is
// to set the variable and execute itself again.
#pragma once

namespace verbatim {

// When neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set, sets
// OMP_WAIT_POLICY=PASSIVE and re-executes the running binary with the same
// arguments (does not return on success). A user's own setting always wins;
// VERBATIM_KEEP_OMP_WAIT_POLICY=1 disables the re-execution. If exec fails the
// process simply continues with libgomp's defaults.
void EnsurePassiveOpenMpWaiting(char** argv);

}  // namespace verbatim
