#!/usr/bin/env bash
# Installs the dependencies (if missing), then configures and builds Verbatim.
#   tools/build.sh [--target T]... [BUILD_DIR] [extra cmake arguments...]
# BUILD_DIR defaults to build; --target builds only T (and what it needs),
# e.g. `--target verbatim` for the executable alone; default: everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets=()
while [[ ${1:-} == --target ]]; do
  targets+=(--target "$2")
  shift 2
done
build=${1:-"$root/build"}
shift || true
"$root/tools/install_deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
