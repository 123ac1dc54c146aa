#!/usr/bin/env bash
# Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#
# Training throughput: `verbatim train` against its Python PyTorch twin
# (bench/train_twin.py: the same model, loss, optimizer, batches and threads),
# in seconds of audio per second of training, steady state, data loading
# included; and peak memory (/usr/bin/time -v).
#
# Model: d_model 256, 4 heads, FFN 1024, 6 encoder and 3 decoder layers,
# 80 fbank bins, unigram-256 tokenizer. Batches of exactly 16 utterances of
# 4.0 s, 2 intra-op threads, one data-loading worker, dropout 0.1, no
# SpecAugment. Throughput = audio of the steps after the first --skip ones
# divided by their time (each step's time runs from the end of the previous
# step to the end of this one's optimizer update, so it includes waiting for
# the loader).
#
# Data (prepared once under --workdir): 4.0-s cuts of
# ../shared/speech/librispeech_untranscribed (synthetic noise made by sox when
# that folder is absent) with made-up transcripts (10..14 seeded pseudo-words
# each, about 40 unigram-256 tokens, like 4 s of read speech).
#
#   bench/train_bench.sh [--binary build/tools/verbatim] [--workdir DIR] [--steps 40]
#                        [--skip 10] [--precisions "fp32 bf16"] [--threads 2]
#                        [--twin-default] [--no-twin-tcmalloc] [--cpp-passive] [--no-twin]
#                        [--no-cpp] [--shared DIR]
#
# The twin runs with OMP_WAIT_POLICY=PASSIVE (its best setting on small
# machines); --twin-default adds rows with libgomp's default (spinning)
# waiting. verbatim runs with OMP_WAIT_POLICY and GOMP_SPINCOUNT unset, as a
# user would run it (it is meant to choose passive waiting by itself);
# --cpp-passive sets OMP_WAIT_POLICY=PASSIVE for it too.
# verbatim is linked with tcmalloc (VERBATIM_TCMALLOC). So that the twin gets
# every setting verbatim has, it also runs a second time with tcmalloc
# preloaded (LD_PRELOAD, as PyTorch's CPU performance guide suggests) when
# the library is installed (libgoogle-perftools4); --no-twin-tcmalloc skips
# that run. Both ratios are printed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench="$repo/bench"
shared="$repo/../shared"
binary="$repo/build/tools/verbatim"
python=/usr/bin/python3
workdir=/tmp/verbatim_train_bench
steps=40
skip=10
precisions="fp32 bf16"
threads=2
twin_default=0
twin_tcmalloc=1
tcmalloc_lib=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
cpp_passive=0
run_twin=1
run_cpp=1

usage() { sed -n '/^#   bench/,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --skip) skip=$2; shift 2 ;;
    --precisions) precisions=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --twin-default) twin_default=1; shift ;;
    --no-twin-tcmalloc) twin_tcmalloc=0; shift ;;
    --cpp-passive) cpp_passive=1; shift ;;
    --no-twin) run_twin=0; shift ;;
    --no-cpp) run_cpp=0; shift ;;
    -h | --help) usage 0 ;;
    *) echo "train_bench: unknown argument '$1'" >&2; usage 1 ;;
  esac
done
((steps > skip)) || { echo "train_bench: --steps must exceed --skip" >&2; exit 1; }
if ((run_cpp && !cpp_passive)) && ! grep -q OMP_WAIT_POLICY "$binary"; then
  echo "train_bench: note: $binary does not choose OpenMP's wait policy itself (built" \
    "before tools/openmp_wait_policy): it runs with libgomp's spinning default;" \
    "--cpp-passive sets OMP_WAIT_POLICY=PASSIVE for it" >&2
fi
[[ -x "$binary" ]] || { echo "train_bench: no verbatim binary at $binary (--binary)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "train_bench: no /usr/bin/time (apt install time)" >&2; exit 1; }
command -v sox >/dev/null || { echo "train_bench: sox is missing" >&2; exit 1; }
if ((run_twin)) && ! "$python" -c 'import torch, torchaudio' 2>/dev/null; then
  echo "train_bench: no torch/torchaudio for $python (tools/install_deps.sh --bench):" \
    "twin skipped" >&2
  run_twin=0
fi
if ((run_twin && twin_tcmalloc)) && [[ ! -f "$tcmalloc_lib" ]]; then
  echo "train_bench: no $tcmalloc_lib (apt install libgoogle-perftools4): the twin runs" \
    "with glibc's malloc only" >&2
  twin_tcmalloc=0
fi

batch=16
cut_s=4.0
data="$workdir/data"
mkdir -p "$workdir"

# ---- Data, prepared once ------------------------------------------------------------------------
prepare_audio() {
  local wav="$workdir/wav" list="$workdir/cuts.txt" src="$shared/speech/librispeech_untranscribed"
  rm -rf "$wav" && mkdir -p "$wav"
  : >"$list"
  if [[ -d "$src" ]]; then
    echo "train_bench: cutting $cut_s-s utterances from $src" >&2
    local f dur n i start
    while IFS= read -r f; do
      dur=$(soxi -D "$f")
      n=$(awk -v d="$dur" -v c="$cut_s" 'BEGIN { print int(d / c) }')
      for ((i = 0; i < n; ++i)); do
        start=$(awk -v i="$i" -v c="$cut_s" 'BEGIN { print i * c }')
        echo "$(basename "$f" .flac)-$i $f $start" >>"$list"
      done
    done < <(find "$src" -name '*.flac' | LC_ALL=C sort)
  else
    echo "train_bench: $src is absent: synthetic noise audio instead" >&2
    local i
    for ((i = 0; i < 49 * batch; ++i)) do echo "synth-$(printf %04d "$i") - $i" >>"$list"; done
  fi
  # A whole number of batches: every batch has exactly $batch utterances.
  local keep=$(($(wc -l <"$list") / batch * batch))
  head -n "$keep" "$list" >"$list.tmp" && mv "$list.tmp" "$list"
  local id path start
  while read -r id path start; do
    if [[ "$path" == - ]]; then
      sox -R -n -r 16000 -b 16 -c 1 "$wav/$id.wav" synth "$cut_s" pinknoise \
        synth "$cut_s" sine amod "$((2 + start % 7))" vol 0.3
    else
      sox "$path" -r 16000 -b 16 -c 1 "$wav/$id.wav" trim "$start" "$cut_s"
    fi
  done <"$list"
}

prepare_data() {
  prepare_audio
  rm -rf "$data" && mkdir -p "$data/train"
  local id
  while read -r id; do
    echo "$id $workdir/wav/$id.wav" >>"$data/train/wav.scp"
    echo "$id $id" >>"$data/train/utt2spk"
  done < <(cut -d' ' -f1 "$workdir/cuts.txt" | LC_ALL=C sort)
  # Made-up transcripts: a fixed lexicon of 3000 pseudo-words (1-3 syllables,
  # seeded), 10..14 of them per utterance.
  cut -d' ' -f1 "$data/train/wav.scp" | awk -v seed=17 '
    BEGIN {
      srand(seed)
      nc = split("b c d f g h j k l m n p r s t v w y z br ch cl dr fl gr pl sh st th tr",
                 cons, " ")
      nv = split("a e i o u ai ea ee oo ou", vow, " ")
      nd = split("n r s t l nd st ng", coda, " ")
      for (w = 1; w <= 3000; ++w) {
        s = 1 + int(rand() * 2) + (rand() < 0.3 ? 1 : 0)
        word = ""
        for (k = 1; k <= s; ++k)
          word = word cons[int(rand() * nc) + 1] vow[int(rand() * nv) + 1] \
                 (rand() < 0.3 ? coda[int(rand() * nd) + 1] : "")
        lex[w] = word
      }
    }
    {
      n = 10 + int(rand() * 5)
      line = $1
      for (i = 0; i < n; ++i) line = line " " lex[int(rand() * 3000) + 1]
      print line
    }' >"$data/train/text"
  "$binary" tokenizer train --text "$data/train/text" --vocab 256 --type unigram \
    --out "$data/tokenizer" >>"$workdir/prepare.log" 2>&1
  "$binary" tokenizer encode --model "$data/tokenizer" --utt-ids <"$data/train/text" \
    >"$data/tokens.txt"
  "$binary" compute-cmvn --num-mel-bins=80 --threads 2 --out "$data/cmvn.txt" \
    "$data/train/wav.scp" >>"$workdir/prepare.log" 2>&1
  touch "$workdir/prepared"
}

if [[ ! -f "$workdir/prepared" ]]; then
  : >"$workdir/prepare.log"
  prepare_data
else
  echo "train_bench: reusing the data prepared in $workdir" >&2
fi
num_utts=$(wc -l <"$data/train/text")
num_batches=$((num_utts / batch))
if ((steps > num_batches)); then
  echo "train_bench: only $num_batches batches of $batch: --steps lowered to $num_batches" >&2
  steps=$num_batches
  ((steps > skip)) || { echo "train_bench: too few batches for --skip $skip" >&2; exit 1; }
fi
mean_tokens=$(awk '{ n += NF - 1 } END { printf "%.1f", n / NR }' "$data/tokens.txt")
echo "train_bench: $num_utts utterances of $cut_s s, $mean_tokens tokens each on average," \
  "$steps steps of $batch, throughput over steps $((skip + 1))..$steps" >&2

# ---- Configuration of verbatim train ------------------------------------------------------------
write_config() {
  cat >"$workdir/bench.yaml" <<EOF
model:
  d_model: 256
  num_heads: 4
  ffn_dim: 1024
  encoder_layers: 6
  decoder_layers: 3
  dropout: 0.1
  attention_dropout: 0.0
  subsampling: 4
  subsampling_channels: 256
  tie_output_embedding: false
features:
  num_mel_bins: 80
  dither: 1.0
augmentation:
  spec_augment: false
  speed_perturb: false
  volume_perturb: false
  noise_probability: 0.0
batching:
  max_frames: 1000000
  max_batch_size: $batch
  shuffle: true
training:
  epochs: 1
  max_steps: $steps
  accum_grad: 1
  grad_clip: 5.0
  optimizer: adam
  peak_lr: 0.001
  warmup_steps: 25000
  ctc_weight: 0.3
  label_smoothing: 0.1
  seed: 0
  log_interval: 1
  checkpoint_every: 0
  num_workers: 1
  prefetch: 4
EOF
}
write_config

# ---- Runs ---------------------------------------------------------------------------------------
# steady LOG: audio seconds per second over the steps after $skip. Each log
# line covers one step of the same audio, so the ratio of totals is the
# harmonic mean of the per-step rates.
steady() {
  awk -v skip="$skip" '
    /"type":"step"/ {
      match($0, /"step":[0-9]+/); s = substr($0, RSTART + 7, RLENGTH - 7) + 0
      match($0, /"audio_seconds_per_second":[0-9.eE+-]+/)
      r = substr($0, RSTART + 27, RLENGTH - 27) + 0
      if (s > skip && r > 0) { inv += 1 / r; n++ }
    }
    END { if (n) printf "%.2f", n / inv; else printf "nan" }' "$1"
}
peak_rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

declare -A rate rss
rows=()
params_cpp="" params_twin="" worker_rss=""
openblas_core=$("$binary" info | sed -n 's/^openblas_coretype: \([A-Za-z0-9]*\)$/\1/p')

run_cpp() {
  local prec=$1
  local exp="$workdir/exp_cpp_$prec" env_args=(-u OMP_WAIT_POLICY -u GOMP_SPINCOUNT)
  ((cpp_passive)) && env_args+=(OMP_WAIT_POLICY=PASSIVE)
  rm -rf "$exp"
  echo "train_bench: verbatim train, $prec ..." >&2
  env "${env_args[@]}" /usr/bin/time -v -o "$workdir/time_cpp_$prec.txt" \
    "$binary" train --config "$workdir/bench.yaml" --train "$data/train" \
    --tokenizer "$data/tokenizer" --cmvn "$data/cmvn.txt" --exp "$exp" \
    --threads "$threads" --precision "$prec" --max-steps "$steps" \
    2>"$workdir/stderr_cpp_$prec.txt" || {
    echo "train_bench: verbatim train failed, see $workdir/stderr_cpp_$prec.txt" >&2
    tail -n 5 "$workdir/stderr_cpp_$prec.txt" >&2
    exit 1
  }
  params_cpp=$(sed -n 's/^model: \([0-9]*\) parameters.*/\1/p' "$workdir/stderr_cpp_$prec.txt")
  local key="verbatim $prec"
  rate[$key]=$(steady "$exp/train.log.jsonl")
  rss[$key]=$(peak_rss_mb "$workdir/time_cpp_$prec.txt")
  rows+=("$key")
}

# run_twin PRECISION WAIT ALLOCATOR (passive|default, malloc|tcmalloc)
run_twin() {
  local prec=$1 wait=$2 alloc=$3
  local name="${prec}_${wait}_$alloc" env_args=(-u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u LD_PRELOAD)
  local log="$workdir/twin_$name.jsonl"
  [[ "$wait" == passive ]] && env_args+=(OMP_WAIT_POLICY=PASSIVE)
  [[ "$alloc" == tcmalloc ]] && env_args+=(LD_PRELOAD="$tcmalloc_lib")
  # The OpenBLAS kernels verbatim chooses (asr/util/openblas_core.h), so that
  # both sides run the same matrix products.
  [[ -n $openblas_core ]] && env_args+=(OPENBLAS_CORETYPE="$openblas_core")
  echo "train_bench: twin, $prec, OpenMP waiting $wait, $alloc ..." >&2
  env "${env_args[@]}" /usr/bin/time -v -o "$workdir/time_twin_$name.txt" \
    "$python" "$bench/train_twin.py" --data "$data/train" --tokens "$data/tokens.txt" \
    --cmvn "$data/cmvn.txt" --vocab 256 --batch "$batch" --steps "$steps" \
    --threads "$threads" --precision "$prec" --log "$log" \
    2>"$workdir/stderr_twin_$name.txt" || {
    echo "train_bench: the twin failed, see $workdir/stderr_twin_$name.txt" >&2
    tail -n 5 "$workdir/stderr_twin_$name.txt" >&2
    exit 1
  }
  params_twin=$(sed -n 's/^model: \([0-9]*\) parameters.*/\1/p' "$workdir/stderr_twin_$name.txt")
  worker_rss=$(sed -n 's/^twin: loader worker peak RSS \(.*\) MB/\1/p' \
    "$workdir/stderr_twin_$name.txt")
  local key="twin $prec $wait $alloc"
  rate[$key]=$(steady "$log")
  rss[$key]=$(peak_rss_mb "$workdir/time_twin_$name.txt")
  rows+=("$key")
}

for prec in $precisions; do
  ((run_cpp)) && run_cpp "$prec"
  if ((run_twin)); then
    run_twin "$prec" passive malloc
    ((twin_tcmalloc)) && run_twin "$prec" passive tcmalloc
    ((twin_default)) && run_twin "$prec" default malloc
  fi
done

# ---- Table --------------------------------------------------------------------------------------
if [[ -n "$params_cpp" && -n "$params_twin" && "$params_cpp" != "$params_twin" ]]; then
  echo "train_bench: WARNING: parameter counts differ: verbatim $params_cpp, twin $params_twin" >&2
fi
echo
echo "Training throughput, d_model 256 / 4 heads / FFN 1024 / 6+3 layers / vocab 256,"
echo "batches of $batch x $cut_s s, $threads threads, steps $((skip + 1))..$steps," \
  "parameters: verbatim ${params_cpp:-?}, twin ${params_twin:-?}"
printf '%-36s %-9s %10s %12s %10s %18s\n' implementation precision "audio s/s" "peak RSS MB" \
  "C++/twin" "C++/twin+tcmalloc"
ratio() {
  [[ -n "${rate[$2]:-}" ]] || { echo "-"; return; }
  awk -v a="${rate[$1]}" -v b="${rate[$2]}" 'BEGIN { printf "%.2f", a / b }'
}
for key in "${rows[@]}"; do
  read -r impl prec wait alloc <<<"$key"
  r1="-" r2="-"
  if [[ "$impl" == verbatim ]]; then
    name="verbatim (C++)"
    ((cpp_passive)) && name="verbatim (C++, PASSIVE)"
    r1=$(ratio "$key" "twin $prec passive malloc")
    r2=$(ratio "$key" "twin $prec passive tcmalloc")
  else
    name="twin (PyTorch, $wait, $alloc)"
  fi
  printf '%-36s %-9s %10s %12s %10s %18s\n' "$name" "$prec" "${rate[$key]}" "${rss[$key]}" \
    "$r1" "$r2"
done
if [[ -n "$worker_rss" ]]; then
  echo "Peak RSS is that of the largest process; the twin's DataLoader worker process" \
    "(not counted above) peaked at $worker_rss MB."
fi
