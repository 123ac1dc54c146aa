#!/usr/bin/env bash
# Runs every fuzzer of fuzz/CMakeLists.txt for a bounded time, several at
# once, from the seed corpora in fuzz/corpus/ (new inputs go to
# BUILD_DIR/corpus/, never into the repository). A crash, sanitizer report,
# leak, timeout or out-of-memory fails the run and prints the reproducer.
# The mutations follow a fixed seed (VERBATIM_FUZZ_SEED, default 1), so a CI
# run explores what a developer's run of the same length explored; set
# another seed (or 0: libFuzzer's random one) to look further.
#   fuzz/run.sh BUILD_DIR [SECONDS_EACH=60] [FUZZER...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS] [FUZZER...]}" && pwd)
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
targets=("$@")
((${#targets[@]})) || targets=(audio_reader kaldi_data_dir train_config model_dir)
jobs=$(nproc)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$here/lsan_suppressions.txt
# The fuzzers' scratch files (a crashed fuzzer leaves its own behind).
export TMPDIR=$build/tmp
mkdir -p "$TMPDIR"

run_one() {  # run_one NAME: prints one summary line, returns the fuzzer's status
  local name=$1
  local corpus=$build/corpus/$name artifacts=$build/artifacts/$name log=$build/logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  local dict=()
  [[ -f $here/$name.dict ]] && dict=(-dict="$here/$name.dict")
  local status=0
  "$build/${name}_fuzzer" -max_total_time="$seconds" -seed="${VERBATIM_FUZZ_SEED:-1}" \
    -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
    "$corpus" "$here/corpus/$name" >"$log" 2>&1 || status=$?
  local runs
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  if ((status == 0)); then
    echo "fuzz: $name: ok, $runs inputs in ${seconds} s, corpus $(ls "$corpus" | wc -l) files"
  else
    echo "fuzz: $name: FAILED (status $status)"
  fi
  return $status
}
export -f run_one
export build here seconds

failed=0
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}' || failed=1
if ((failed)); then
  for name in "${targets[@]}"; do
    artifacts=$build/artifacts/$name
    compgen -G "$artifacts/*" >/dev/null || continue
    echo "==== fuzz: $name: findings (log: $build/logs/$name.log)"
    grep -aE 'ERROR|fuzzer: |terminate called|what\(\)|^    #[0-9] ' "$build/logs/$name.log" | head -30
    for f in "$artifacts"/*; do
      echo "---- reproducer $f ($(stat -c %s "$f") bytes), first bytes:"
      head -c 512 "$f" | od -A d -c | head -20
      echo "---- base64 (save it and run: $build/${name}_fuzzer FILE):"
      head -c 4096 "$f" | base64 -w 100
    done
  done
  exit 1
fi
