#!/usr/bin/env bash
# Synthetic English speech corpus for the mini recipe, as Kaldi data dirs.
#
#   local/make_corpus.sh [options] --out DIR
#
#   --out DIR           where the corpus goes (replaces an earlier corpus there)
#   --seed N            seed of every random choice (default 1); the same seed
#                       and options give byte-identical text and audio
#   --train-hours H     hours of training audio (default 1.0)
#   --train-utts N      train utterances instead of hours (default 0: use hours)
#   --dev-utts N        dev utterances (default 300)
#   --test-utts N       test utterances (default 300)
#   --tiny              30 train, 10 dev, 10 test utterances: seconds to make
#   --noise-share F     share of utterances with added noise (default 0.3)
#   --effects-share F   share of utterances that may get speed, band and reverb
#                       effects (default 1.0: every utterance draws them)
#   --accents "A B"     only these accents (default: all 8 below)
#   --variants "V W"    only these voice variants (default: all below)
#   --jobs N            parallel synthesis jobs (default: nproc)
#
# Text: sentences of Debian's fortunes (3 to 20 words), normalized
# LibriSpeech-style (upper case A-Z, in-word apostrophes, single spaces;
# numbers, "&" and common abbreviations written out as words, which is also
# what espeak-ng is given to read, so audio and text agree). Every text is in
# one split only; dev and test depend on the seed and their sizes alone.
# Speech: espeak-ng, a random accent (8: en-us, en-gb, en-gb-scotland, ...)
# and voice variant (83; 40% female) per utterance, random rate, pitch and
# word gap; then with sox at 16 kHz: sometimes a speed change, a telephone
# band or a low-pass, reverb; white/pink/brown noise at 5-25 dB SNR on a
# --noise-share of utterances, at 40-60 dB (a noise floor, never digital
# silence) on the others; a random peak level; 16-bit mono FLAC.
#
# Speed: the cost was starting processes, not audio work (espeak-ng takes
# ~10 ms of CPU to start, listing its ~430 voice files; sox some ms more), so
# no program starts per utterance. Each job is one python3 process
# (synthesize.py) that loads espeak-ng's library (libespeak-ng.so.1, ctypes)
# once and renders each utterance in a fork() of itself, the state of a fresh
# `espeak-ng -v VOICE -s RATE -p PITCH -g GAP --stdout`, which gives the
# program's samples exactly (in one process the library carries state from
# an utterance to the next, which changes pauses, lengths and levels). sox
# then runs twice per 50 utterances, an effects chain per utterance: effects,
# 16 kHz and `stat` (exact length and RMS for the noise level), then the mix
# with a seek into a raw noise recording, peak level and FLAC. About 15 ms of
# CPU per utterance, half of it espeak-ng, the rest resampling and FLAC. The
# audio does not depend on --jobs or on the batches, and is that of one
# espeak-ng | sox per utterance. (The noise is cut at exact sample positions
# since this design, so the audio differs slightly from that of earlier
# versions.)
#
# Output: DIR/{train,dev,test}/ with wav.scp (absolute paths to
# DIR/audio/SPLIT/UTT.flac), text, utt2spk, spk2utt (speaker = accent_variant),
# utt2dur (seconds); DIR/corpus.txt (summary) and DIR/plan.tsv (how every
# utterance was made). The corpus is built in a temporary folder next to DIR
# and moved into place complete, so DIR is either absent, the old corpus, or
# the new one whole.
set -euo pipefail
export LC_ALL=C  # byte order for sort, "." in printf numbers
here=$(cd "$(dirname "$0")" && pwd)
prog=make_corpus.sh

out=""; seed=1; train_hours=1.0; train_utts=0; dev_utts=300; test_utts=300
noise_share=0.3; effects_share=1.0; only_accents=""; only_variants=""; jobs=$(nproc 2>/dev/null || echo 2)
die() { echo "$prog: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --out) out=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --train-hours) train_hours=${2:?}; shift 2 ;;
    --train-utts) train_utts=${2:?}; shift 2 ;;
    --dev-utts) dev_utts=${2:?}; shift 2 ;;
    --test-utts) test_utts=${2:?}; shift 2 ;;
    --tiny) train_utts=30; dev_utts=10; test_utts=10; shift ;;
    --noise-share) noise_share=${2:?}; shift 2 ;;
    --effects-share) effects_share=${2:?}; shift 2 ;;
    --accents) only_accents=${2:?}; shift 2 ;;
    --variants) only_variants=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "$prog: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $out ]] || die "--out DIR is required"
if ! [[ $seed =~ ^[0-9]{1,10}$ ]] || ((seed >= 2147483647)); then
  die "--seed must be an integer in [0, 2147483646]"
fi
for n in "$train_utts" "$dev_utts" "$test_utts" "$jobs"; do
  [[ $n =~ ^[0-9]+$ ]] || die "utterance counts and --jobs must be integers, got '$n'"
done
((jobs >= 1)) || die "--jobs must be at least 1"
[[ $train_hours =~ ^[0-9]*\.?[0-9]+$ ]] || die "--train-hours must be a number, got '$train_hours'"
[[ $noise_share =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]] || die "--noise-share must be in [0, 1]"
[[ $effects_share =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]] || die "--effects-share must be in [0, 1]"

# --- tools and text --------------------------------------------------------
for tool in espeak-ng sox soxi python3; do
  command -v "$tool" >/dev/null || die "$tool not found; run tools/install_deps.sh"
done
fortunes=/usr/share/games/fortunes
[[ -f $fortunes/fortunes ]] || die "$fortunes not found (Debian package fortunes); run tools/install_deps.sh"
# Every fortune file but those that are pictures, code or not English.
fortune_files=()
for f in "$fortunes"/*; do
  case ${f##*/} in *.* | ascii-art | perl | translate-me) continue ;; esac
  [[ -f $f ]] && fortune_files+=("$f")
done

# Accents (espeak-ng's English languages) and voice variants (voices/!v), by
# gender, to mix; those the installed espeak-ng lacks are left out. Variants
# are all of espeak-ng 1.51's but those that a real-speech recogniser
# (pocketsphinx en-us) understood no better than "whisper" (WER >= 0.96 on
# four sentences: Alicia Andrea AnxiousAndy Demonic Lee Marco Michael
# UniRobot boris grandma kaukovalta marcelo shelby whisper whisperf zac),
# fast_test (no voice) and "Mr serious" (a space in its name).
want_accents=(en-us en-gb en-gb-scotland en-gb-x-gbclan en-gb-x-gbcwmd en-gb-x-rp en-029 en-us-nyc)
want_female=(f1 f2 f3 f4 f5 Annie anika anikaRobot aunty belinda linda steph steph2 steph3)
want_male=(m1 m2 m3 m4 m5 m6 m7 m8 klatt klatt2 klatt3 klatt4 klatt5 klatt6 Alex Andy Denis
  Diogo Gene Gene2 Henrique Hugo Jacky Mario Mike Nguyen RicishayMax RicishayMax2 RicishayMax3
  Storm Tweaky adam announcer antonio benjamin caleb croak david ed edward edward2 grandpa
  gustave iven iven2 iven3 iven4 john max michel miguel norbert pablo paul pedro quincy rob
  robert robosoft robosoft2 robosoft3 robosoft4 robosoft5 robosoft6 robosoft7 robosoft8 sandro
  travis victor)
have_accents=" $(espeak-ng --voices=en | awk 'NR > 1 && $5 ~ /^gmw\// {print $2}' | tr '\n' ' ') "
have_variants=" $(espeak-ng --voices=variant | awk 'NR > 1 {sub(/^!v\//, "", $5); print $5}' | tr '\n' ' ') "
accents=(); female=(); male=()
for a in "${want_accents[@]}"; do [[ $have_accents == *" $a "* ]] && accents+=("$a"); done
for v in "${want_female[@]}"; do [[ $have_variants == *" $v "* ]] && female+=("$v"); done
for v in "${want_male[@]}"; do [[ $have_variants == *" $v "* ]] && male+=("$v"); done
# --accents/--variants narrow the mix (a less varied, easier corpus).
keep_only() {  # keep_only WANTED NAME...: the NAMEs that are in WANTED
  local wanted=" $1 " name; shift
  for name; do [[ $wanted == *" $name "* ]] && printf '%s ' "$name"; done
}
if [[ -n $only_accents ]]; then
  for a in $only_accents; do [[ " ${accents[*]} " == *" $a "* ]] || die "no accent '$a' (have: ${accents[*]})"; done
  read -ra accents <<< "$(keep_only "$only_accents" "${accents[@]}")"
fi
if [[ -n $only_variants ]]; then
  for v in $only_variants; do
    [[ " ${female[*]} ${male[*]} " == *" $v "* ]] || die "no voice variant '$v' (have: ${female[*]} ${male[*]})"
  done
  read -ra female <<< "$(keep_only "$only_variants" "${female[@]}")"
  read -ra male <<< "$(keep_only "$only_variants" "${male[@]}")"
fi
variants=("${female[@]}" "${male[@]}")
((${#accents[@]} > 0 && ${#variants[@]} > 0)) || die "espeak-ng has no English voices; run tools/install_deps.sh"

# --- a temporary folder next to the output, removed unless complete -----------
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
if [[ -e $out && ! -f $out/corpus.txt ]] && [[ -n $(ls -A "$out" 2>/dev/null) || ! -d $out ]]; then
  die "$out exists and is not a corpus made by this script; remove it first"
fi
tmp=$(mktemp -d "$out.tmp.XXXXXX")
pids=()
cleanup() {
  local status=$?
  # Some may have ended already: kill's failure must not stop the cleanup
  # (errexit applies here too).
  ((${#pids[@]} == 0)) || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  # A worker's last sox may still be writing for a moment.
  rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start=$SECONDS

# --- noise recordings, made while the text is prepared ----------------------
# Raw 16-bit samples: a job reads any stretch (a seek, no decoding).
noise_seconds=300
noise_samples=$((noise_seconds * 16000))
mkdir -p "$tmp/noise" "$tmp/work"
declare -A noise_pid noise_rms
for colour in white pink brown; do
  sox -R -D -n -t s16 -r 16000 -c 1 "$tmp/noise/$colour.s16" synth "$noise_seconds" "${colour}noise" \
    gain -n -3 rate 16000 stat 2> "$tmp/noise/$colour.stat" &
  noise_pid[$colour]=$!
  pids+=($!)
done
# read_stat FILE: stat_samples and stat_rms (RMS amplitude in millionths) from
# the report of sox's `stat` effect, with bash alone (no process).
read_stat() {
  local key1 key2 value int frac
  stat_samples=0 stat_rms=0
  while read -r key1 key2 value _; do
    case "$key1 $key2" in
      "Samples read:") [[ $value =~ ^[0-9]+$ ]] && stat_samples=$value ;;
      "RMS amplitude:")
        if [[ $value =~ ^([0-9]+)\.([0-9]{1,6}) ]]; then
          int=${BASH_REMATCH[1]} frac=${BASH_REMATCH[2]}000000
          stat_rms=$((10#$int * 1000000 + 10#${frac:0:6}))
        fi ;;
    esac
  done < "$1"
  return 0
}

# --- sentences and plan ---------------------------------------------------
awk -f "$here/fortune_sentences.awk" "${fortune_files[@]}" |
  sort -t $'\t' -k2,2 -u > "$tmp/sentences.tsv"
train_seconds=$(awk -v h="$train_hours" 'BEGIN {print h * 3600}')
awk -v SEED="$seed" -v DEV_UTTS="$dev_utts" -v TEST_UTTS="$test_utts" \
  -v TRAIN_UTTS="$train_utts" -v TRAIN_SECONDS="$train_seconds" -v NOISE_SHARE="$noise_share" \
  -v EFFECTS_SHARE="$effects_share" \
  -v ACCENTS="${accents[*]}" -v FEMALE="${female[*]}" -v MALE="${male[*]}" \
  -f "$here/plan_corpus.awk" "$tmp/sentences.tsv" > "$tmp/plan.tsv"

# --- synthesis ------------------------------------------------------------
wait_noise() {  # the noise recordings started above: done, and their RMS
  local colour
  for colour in white pink brown; do
    wait "${noise_pid[$colour]}" || { cat "$tmp/noise/$colour.stat" >&2; die "making $colour noise failed"; }
    read_stat "$tmp/noise/$colour.stat"
    ((stat_samples == noise_samples && stat_rms > 0)) || die "no $colour noise from sox"
    noise_rms[$colour]=$stat_rms
  done
  pids=()
}

# Job J renders plan lines J, J + JOBS, ... (see synthesize.py); the audio
# does not depend on JOBS.
mkdir -p "$tmp/audio/train" "$tmp/audio/dev" "$tmp/audio/test"
num_utts=$(wc -l < "$tmp/plan.tsv")
wait_noise
echo "$prog: synthesizing $num_utts utterances with $jobs jobs" >&2
declare -A job_of
for ((j = 0; j < jobs; j++)); do
  python3 "$here/synthesize.py" --plan "$tmp/plan.tsv" --job "$j" --jobs "$jobs" \
    --noise-dir "$tmp/noise" --noise-samples "$noise_samples" \
    --noise-rms "${noise_rms[white]} ${noise_rms[pink]} ${noise_rms[brown]}" \
    --audio-dir "$tmp/audio" --work "$tmp/work" < /dev/null 2> "$tmp/work/chunk$j.log" &
  pids+=($!)
  job_of[$!]=$j
done
# The first job to fail stops the others.
for ((j = 0; j < jobs; j++)); do
  wait -n -p done_pid && continue
  echo "$prog: synthesis job ${job_of[$done_pid]} failed:" >&2
  tail -n 5 "$tmp/work/chunk${job_of[$done_pid]}.log" >&2 || true
  die "synthesis failed; nothing written to $out"
done
pids=()
cat "$tmp"/work/chunk*.dur > "$tmp/work/samples"
[[ $(wc -l < "$tmp/work/samples") -eq $num_utts ]] || die "missing audio after synthesis"

# --- Kaldi data dirs ------------------------------------------------------
for split in train dev test; do
  d=$tmp/$split
  mkdir -p "$d"
  awk -F '\t' -v s="$split" '$1 == s' "$tmp/plan.tsv" > "$tmp/work/$split.plan"
  awk -F '\t' -v d="$out/audio/$split" '{print $2, d "/" $2 ".flac"}' "$tmp/work/$split.plan" |
    sort > "$d/wav.scp"
  awk -F '\t' '{print $2, $14}' "$tmp/work/$split.plan" | sort > "$d/text"
  awk -F '\t' '{print $2, $3}' "$tmp/work/$split.plan" | sort > "$d/utt2spk"
  awk '{u[$2] = u[$2] " " $1} END {for (s in u) print s u[s]}' "$d/utt2spk" | sort > "$d/spk2utt"
  awk 'NR == FNR {want[$1] = 1; next} ($1 in want) {printf "%s %.3f\n", $1, $2 / 16000}' \
    "$d/utt2spk" "$tmp/work/samples" | sort > "$d/utt2dur"
done

# --- summary --------------------------------------------------------------
{
  echo "Synthetic English speech corpus of Verbatim's mini recipe (recipes/mini/local/make_corpus.sh)."
  echo "seed: $seed"
  echo "options: --train-hours $train_hours --train-utts $train_utts --dev-utts $dev_utts" \
    "--test-utts $test_utts --noise-share $noise_share --effects-share $effects_share"
  echo "tools: espeak-ng $(espeak-ng --version | awk '{print $4}')," \
    "sox $(sox --version | awk '{print $NF}')," \
    "fortunes $(dpkg-query -W -f='${Version}' fortunes 2>/dev/null || echo unknown)"
  echo "sentences: $(wc -l < "$tmp/sentences.tsv") distinct, from ${#fortune_files[@]} fortune files;" \
    "no text is in two splits"
  printf '%-6s %7s %8s %9s %7s %6s\n' split utts hours speakers texts noisy
  for split in train dev test; do
    printf '%-6s %7d %8.3f %9d %7d %6d\n' "$split" "$(wc -l < "$tmp/$split/text")" \
      "$(awk '{s += $2} END {print s / 3600}' "$tmp/$split/utt2dur")" \
      "$(wc -l < "$tmp/$split/spk2utt")" "$(cut -d ' ' -f2- "$tmp/$split/text" | sort -u | wc -l)" \
      "$(awk -F '\t' '$10 <= 25' "$tmp/work/$split.plan" | wc -l)"
  done
  echo "accents (${#accents[@]}): ${accents[*]}"
  echo "female variants (${#female[@]}, 40% of utterances): ${female[*]}"
  echo "male variants (${#male[@]}): ${male[*]}"
  echo "speaker = accent_variant; plan.tsv has every utterance's voice, rate, pitch, effects and noise."
} > "$tmp/corpus.txt"
rm -rf "$tmp/work" "$tmp/noise" "$tmp/sentences.tsv"

# --- into place -----------------------------------------------------------
if [[ -e $out ]]; then
  mv "$out" "$tmp.old"
  mv "$tmp" "$out"
  rm -rf "$tmp.old"
else
  mv "$tmp" "$out"
fi
trap - EXIT INT TERM
echo "$prog: $num_utts utterances in $out ($((SECONDS - start)) s)" >&2
sed -n '6,9p' "$out/corpus.txt" >&2
