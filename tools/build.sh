#!/usr/bin/env bash
# Installs the dependencies (if missing), then configures and builds Verbatim.
#   tools/build.sh [BUILD_DIR] [extra cmake arguments...]   (default BUILD_DIR: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shift || true
"$root/tools/install_deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
