#!/usr/bin/env bash
# The README's test command: sets everything up on a fresh Debian 12 and runs
# every test. 1) the release build and all tests; 2) the frontend (no
# LibTorch) again under AddressSanitizer + UndefinedBehaviorSanitizer; 3) the
# fuzz targets of fuzz/ (libFuzzer, clang), VERBATIM_FUZZ_SECONDS (default
# 60) each, several at once; a finding fails and prints its reproducer.
# Every stage runs even when an earlier one fails (a failed test must not
# hide the others); the exit status is non-zero when any stage failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)
failed=()

echo "== release build and tests"
tools/build.sh "$root/build"
ctest --test-dir "$root/build" -j "$jobs" --output-on-failure || failed+=("release tests")

echo "== frontend under ASan + UBSan"
tools/build.sh "$root/build-sanitize" -DVERBATIM_FRONTEND_ONLY=ON -DVERBATIM_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-sanitize" -j "$jobs" --output-on-failure ||
  failed+=("sanitizer tests")

echo "== fuzzers (libFuzzer + ASan + UBSan)"
cmake -S "$root/fuzz" -B "$root/build-fuzz" -G Ninja -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build "$root/build-fuzz" -j "$jobs"
fuzz/run.sh "$root/build-fuzz" "${VERBATIM_FUZZ_SECONDS:-60}" || failed+=("fuzzers")

if ((${#failed[@]} > 0)); then
  echo "tools/test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "tools/test.sh: every stage passed"
