#!/usr/bin/env bash
# Installs every Debian package Verbatim needs (Debian 12, as root or with sudo).
# Idempotent: prints nothing and exits 0 when everything is already there.
#
#   tools/install_deps.sh          build, test and run (the recipes included)
#   tools/install_deps.sh --bench  also the peers of the benchmarks
#                                  (python3-torch, python3-torchaudio, pocketsphinx)
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config ccache make gzip
  # libraries
  libtorch-dev libsndfile1-dev libsoxr-dev libkissfft-dev libsentencepiece-dev
  libyaml-cpp-dev catch2 libcli11-dev libgloo-dev
  # tcmalloc: LibTorch's large activations without a page fault per page each
  # step (glibc unmaps freed blocks over 32 MB): training 1.10x faster here
  libgoogle-perftools-dev
  # LibTorch calls the system BLAS: without OpenBLAS it runs on the reference
  # BLAS, measured 25x slower here (see README).
  libopenblas0-pthread
  # audio and text tools used by the recipes and tests (python3: the mini
  # corpus's synthesizer drives libespeak-ng through ctypes, the standard library)
  sox libsox-fmt-base espeak-ng fortunes python3
  # the mini corpus's other synthesizers: voices that espeak-ng's formant
  # synthesis does not make (flite's diphone and statistical voices, festival's
  # diphone and HTS voices), so that the corpus measures how a model trained
  # on some synthesizers does on others
  flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
  # NIST sclite: the reference of the WER tests
  sctk
  # clang and its libFuzzer runtime: the fuzz targets in fuzz/ (tools/test.sh);
  # GNU time: peak memory in the long-audio test
  clang-14 libclang-rt-14-dev time
  # PNG output of `verbatim plot` and `plot-attention` (SVG needs nothing)
  librsvg2-bin
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-torchaudio pocketsphinx pocketsphinx-en-us)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install_deps.sh: run as root (or install sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install_deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deps.sh: done" >&2
