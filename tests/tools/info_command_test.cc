// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim info`, and the OpenMP wait policy the binary chooses for itself.
#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace verbatim {
namespace {

const std::string kVerbatim = VERBATIM_BINARY;

TEST_CASE("verbatim sets OpenMP waiting unless the user chose, and leaves oneDNN its ISA",
          "[tools][info]") {
  std::string out;
  REQUIRE(test::RunCommand("env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u ONEDNN_MAX_CPU_ISA " +
                               kVerbatim + " info",
                           &out) == 0);
  CHECK(out.find("omp_wait_policy: PASSIVE") != std::string::npos);
  CHECK(out.find("libtorch: ") != std::string::npos);
  // AMX stays available to oneDNN (its bugs are avoided in the model).
  CHECK(out.find("onednn_max_cpu_isa: (oneDNN default)") != std::string::npos);
  // Checked on every intra-op thread, not only the main thread.
  CHECK(out.find("flush_denormals: yes") != std::string::npos);
  REQUIRE(test::RunCommand("env OMP_WAIT_POLICY=ACTIVE " + kVerbatim + " info", &out) == 0);
  CHECK(out.find("omp_wait_policy: ACTIVE") != std::string::npos);
  REQUIRE(test::RunCommand("env -u OMP_WAIT_POLICY GOMP_SPINCOUNT=1000 " + kVerbatim + " info",
                           &out) == 0);
  CHECK(out.find("omp_wait_policy: (libgomp default)") != std::string::npos);
  CHECK(out.find("gomp_spincount: 1000") != std::string::npos);
  REQUIRE(test::RunCommand(
              "env -u OMP_WAIT_POLICY VERBATIM_KEEP_ENVIRONMENT=1 " + kVerbatim + " info", &out) ==
          0);
  CHECK(out.find("omp_wait_policy: (libgomp default)") != std::string::npos);
}

TEST_CASE("info with threads sets LibTorch's and OpenBLAS's threads alike", "[tools][info]") {
  std::string out;
  REQUIRE(test::RunCommand(kVerbatim + " info", &out) == 0);
  if (out.find("blas: OpenBLAS") == std::string::npos) {
    WARN("the BLAS is not OpenBLAS here: its threads are not verbatim's to set");
    return;
  }
  for (const std::string threads : {"1", "2"}) {
    REQUIRE(test::RunCommand(kVerbatim + " info --threads " + threads, &out) == 0);
    CHECK(out.find("intra_op_threads: " + threads + "\n") != std::string::npos);
    CHECK(out.find(", " + threads + " threads\n") != std::string::npos);
  }
}

// OpenBLAS falls back to its generic SSE3 kernels on CPUs newer than its
// release; verbatim then chooses the kernels the CPU runs (a user's choice wins).
TEST_CASE("verbatim never runs OpenBLAS's generic kernels on a CPU with AVX", "[tools][info]") {
  std::string out;
  REQUIRE(test::RunCommand("env -u OPENBLAS_CORETYPE " + kVerbatim + " info", &out) == 0);
  if (out.find("blas: OpenBLAS") == std::string::npos) {
    WARN("the BLAS is not OpenBLAS here");
    return;
  }
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx")) CHECK(out.find("Prescott") == std::string::npos);
  // OpenBLAS's own choice stands unless it is the generic fallback.
  std::string kept;
  REQUIRE(test::RunCommand(
              "env -u OPENBLAS_CORETYPE VERBATIM_KEEP_ENVIRONMENT=1 " + kVerbatim + " info",
              &kept) == 0);
  CHECK(kept.find("openblas_coretype: (OpenBLAS's own choice)") != std::string::npos);
  if (kept.find("Prescott") == std::string::npos)
    CHECK(out.find("openblas_coretype: (OpenBLAS's own choice)") != std::string::npos);
  else
    CHECK(out.find("openblas_coretype: (OpenBLAS's own choice)") == std::string::npos);
  REQUIRE(test::RunCommand("env OPENBLAS_CORETYPE=Prescott " + kVerbatim + " info", &out) == 0);
  CHECK(out.find("openblas_coretype: Prescott") != std::string::npos);
  CHECK(out.find(" Prescott ") != std::string::npos);
}

}  // namespace
}  // namespace verbatim
