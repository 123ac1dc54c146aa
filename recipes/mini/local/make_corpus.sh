#!/usr/bin/env bash
# Synthetic English speech corpus for the mini recipe, as Kaldi data dirs.
#
#   local/make_corpus.sh [options] --out DIR
#
#   --out DIR             where the corpus goes (replaces an earlier corpus there)
#   --seed N              seed of every random choice (default 1); the same seed
#                         and options give byte-identical text and audio
#   --train-hours H       hours of training audio (default 1.0)
#   --train-utts N        train utterances instead of hours (default 0: use hours)
#   --dev-utts N          dev utterances (default 300)
#   --test-utts N         test utterances (default 300)
#   --dev-unseen-utts N   dev_unseen utterances (default 300; 0: no dev_unseen)
#   --test-unseen-utts N  test_unseen utterances (default 300; 0: no test_unseen)
#   --tiny                30 train, 10 of each other split: seconds to make
#   --engines "E:S ..."   share of the utterances per synthesizer (default
#                         "espeak:0.6 flite:0.25 festival:0.15"; normalized;
#                         an engine left out or at 0 is not used)
#   --noise-share F       share of utterances with audible noise (default 0.4)
#   --effects-share F     share of utterances that may get speed, tempo, room,
#                         microphone and channel effects (default 1.0: every
#                         utterance draws them)
#   --accents "A B"       only these espeak-ng accents (default: all 8 below)
#   --variants "V W"      only these espeak-ng voice variants (default: all
#                         below, the held-out ones included)
#   --jobs N              parallel synthesis jobs (default: nproc)
#
# Text: sentences of Debian's fortunes (3 to 20 words), normalized
# LibriSpeech-style (upper case A-Z, in-word apostrophes, single spaces;
# numbers, "&" and common abbreviations written out as words, which is also
# what the synthesizers are given to read, so audio and text agree). Every
# text is in one split only; dev and test depend on the seed and their sizes
# alone.
# Speech, three synthesizers (see plan_corpus.awk for every draw):
#   espeak-ng  a random accent (8: en-us, en-gb, en-gb-scotland, ...) and
#              voice variant (71 seen of 83; 40% female), rate, pitch and
#              word gap
#   flite      kal (8 kHz diphones), kal16, rms, slt (and awb, held out):
#              random duration stretch and mean F0 (rms: a pitch shift)
#   festival   kal_diphone, cmu_us_slt_arctic_hts (and ked_diphone, held
#              out): random duration stretch and mean F0 (HTS: a pitch shift)
# then with sox at 16 kHz: sometimes a speed change, a tempo change, a room
# (reverb, every parameter drawn), a microphone's colour (equalizer bands, a
# high-pass), a channel (telephone band at 8 kHz, an 8 kHz round trip or a
# low-pass); white, pink, brown or babble noise (six synthetic talkers) at
# 5-25 dB SNR on a --noise-share of utterances, at 40-60 dB (a noise floor,
# never digital silence) on the others; a random peak level; 16-bit mono FLAC.
#
# Splits: train, dev and test have the seen voices (dev and test: seen
# voices, unseen sentences). dev_unseen and test_unseen measure
# generalization: their voices never occur in the other splits (12 espeak-ng
# variants with every accent, 36 of the 568 other accent+variant pairs,
# flite's awb, festival's ked), nor do their sentences, and 20%
# of their utterances go through a GSM 06.10 codec, a condition no other split
# has. corpus.txt lists what is held out.
#
# Speed: a short utterance costs more in starting processes than in audio
# work, so espeak-ng and sox do not start per utterance. Each job is one
# python3 process (synthesize.py) that loads espeak-ng's library
# (libespeak-ng.so.1, ctypes) once and renders each espeak-ng utterance in a
# fork() of itself (the program's samples exactly; a fork per utterance keeps
# each independent of the others), runs the flite program per utterance (it
# starts in ~7 ms; its synthesis costs 10-85 ms), and keeps one festival
# process for the job, fed a Scheme file per batch. Per batch of 50
# utterances sox runs once per native sample rate (effects) and once more
# (noise, FLAC), an effects chain per utterance. CPU per
# utterance of 3.7 s, sox work included: espeak-ng 18 ms; flite 54 ms on
# average (its synthesis: kal16 15 ms, kal 22 ms, slt 80 ms, rms 86 ms);
# festival 97 ms (diphones 17 ms, HTS 145 ms); about 45 ms with the default
# shares, plus ~4 s per corpus (sentences, noise and babble recordings). A
# corpus of 0.5 h of train and 4 x 300 other utterances (1675, 1.7 h) took
# 76 s on 2 cores. The audio does not depend on --jobs or on the batches, and
# is that of one synthesizer and sox run per utterance.
#
# Output: DIR/{train,dev,test,dev_unseen,test_unseen}/ with wav.scp (absolute
# paths to DIR/audio/SPLIT/UTT.flac), text, utt2spk, spk2utt (speaker =
# accent_variant for espeak-ng, e.g. en-gb_f3; flite-VOICE, festival-VOICE,
# e.g. flite-slt, festival-kal), utt2dur (seconds); DIR/corpus.txt (summary)
# and DIR/plan.tsv (how every utterance was made, one line each; columns in
# plan_corpus.awk). The corpus is built in a temporary folder next to DIR and
# moved into place complete, so DIR is either absent, the old corpus, or the
# new one whole.
set -euo pipefail
export LC_ALL=C  # byte order for sort, "." in printf numbers
here=$(cd "$(dirname "$0")" && pwd)
prog=make_corpus.sh

out=""; seed=1; train_hours=1.0; train_utts=0; dev_utts=300; test_utts=300
dev_unseen_utts=300; test_unseen_utts=300; engines="espeak:0.6 flite:0.25 festival:0.15"
noise_share=0.4; effects_share=1.0; only_accents=""; only_variants=""; jobs=$(nproc 2>/dev/null || echo 2)
codec_share=0.2  # of the unseen splits' utterances: GSM round trip
die() { echo "$prog: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --out) out=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --train-hours) train_hours=${2:?}; shift 2 ;;
    --train-utts) train_utts=${2:?}; shift 2 ;;
    --dev-utts) dev_utts=${2:?}; shift 2 ;;
    --test-utts) test_utts=${2:?}; shift 2 ;;
    --dev-unseen-utts) dev_unseen_utts=${2:?}; shift 2 ;;
    --test-unseen-utts) test_unseen_utts=${2:?}; shift 2 ;;
    --tiny) train_utts=30 dev_utts=10 test_utts=10 dev_unseen_utts=10 test_unseen_utts=10; shift ;;
    --engines) engines=${2:?}; shift 2 ;;
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
for n in "$train_utts" "$dev_utts" "$test_utts" "$dev_unseen_utts" "$test_unseen_utts" "$jobs"; do
  [[ $n =~ ^[0-9]+$ ]] || die "utterance counts and --jobs must be integers, got '$n'"
done
((jobs >= 1)) || die "--jobs must be at least 1"
[[ $train_hours =~ ^[0-9]*\.?[0-9]+$ ]] || die "--train-hours must be a number, got '$train_hours'"
[[ $noise_share =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]] || die "--noise-share must be in [0, 1]"
[[ $effects_share =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]] || die "--effects-share must be in [0, 1]"
# --engines: NAME:SHARE words; the engines with a share above 0 are used.
used_engines=()
for word in $engines; do
  [[ $word =~ ^(espeak|flite|festival):([0-9]*\.?[0-9]+)$ ]] ||
    die "--engines wants NAME:SHARE words with NAME espeak, flite or festival, got '$word'"
  name=${BASH_REMATCH[1]} share=${BASH_REMATCH[2]}
  [[ $share =~ ^[0.]*$ ]] || used_engines+=("$name")
done
((${#used_engines[@]} > 0)) || die "--engines gives no engine a share above 0"
uses() { [[ " ${used_engines[*]} " == *" $1 "* ]]; }

# --- tools and text --------------------------------------------------------
need=(espeak-ng sox soxi python3)  # espeak-ng: the babble noise, whatever the engines
uses flite && need+=(flite)
uses festival && need+=(festival)
for tool in "${need[@]}"; do
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
# Held out for dev_unseen and test_unseen: 12 variants of the list above,
# both genders, of several kinds (plain, klatt, robotic, characters), with
# every accent; plan_corpus.awk also holds out some accent+variant pairs.
heldout_variants=" f4 anikaRobot belinda steph2 m6 klatt4 Gene2 RicishayMax3 edward2 iven3 robosoft4 norbert "
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
((${#accents[@]} > 0 && ${#female[@]} + ${#male[@]} > 0)) ||
  die "espeak-ng has no English voices; run tools/install_deps.sh"
# Seen and held-out variants.
seen_female=(); seen_male=(); heldout_female=(); heldout_male=()
for v in "${female[@]}"; do
  if [[ $heldout_variants == *" $v "* ]]; then heldout_female+=("$v"); else seen_female+=("$v"); fi
done
for v in "${male[@]}"; do
  if [[ $heldout_variants == *" $v "* ]]; then heldout_male+=("$v"); else seen_male+=("$v"); fi
done

# flite's and festival's English voices, seen and held out; those not
# installed are left out. flite's awb_time speaks times of day only.
flite_seen=(); flite_heldout=(); festival_seen=(); festival_heldout=()
if uses flite; then
  have_flite=" $(flite -lv | sed 's/^[^:]*://') "
  for v in kal kal16 rms slt; do [[ $have_flite == *" $v "* ]] && flite_seen+=("$v"); done
  for v in awb; do [[ $have_flite == *" $v "* ]] && flite_heldout+=("$v"); done
fi
if uses festival; then
  have_festival() { compgen -G "/usr/share/festival/voices/*/$1/festvox" >/dev/null; }
  for v in kal_diphone cmu_us_slt_arctic_hts; do have_festival "$v" && festival_seen+=("$v"); done
  for v in ked_diphone; do have_festival "$v" && festival_heldout+=("$v"); done
fi

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
babble_seconds=90  # six talkers of synthetic speech cost more than sox's noise
mkdir -p "$tmp/noise" "$tmp/work"
declare -A noise_pid noise_rms noise_samples
for colour in white pink brown; do
  sox -R -D -n -t s16 -r 16000 -c 1 "$tmp/noise/$colour.s16" synth "$noise_seconds" "${colour}noise" \
    gain -n -3 rate 16000 stat 2> "$tmp/noise/$colour.stat" &
  noise_pid[$colour]=$!
  noise_samples[$colour]=$((noise_seconds * 16000))
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
  -v DEV_UNSEEN_UTTS="$dev_unseen_utts" -v TEST_UNSEEN_UTTS="$test_unseen_utts" \
  -v TRAIN_UTTS="$train_utts" -v TRAIN_SECONDS="$train_seconds" -v NOISE_SHARE="$noise_share" \
  -v EFFECTS_SHARE="$effects_share" -v CODEC_SHARE="$codec_share" -v ENGINES="$engines" \
  -v ACCENTS="${accents[*]}" -v FEMALE="${seen_female[*]}" -v MALE="${seen_male[*]}" \
  -v HELDOUT_FEMALE="${heldout_female[*]}" -v HELDOUT_MALE="${heldout_male[*]}" \
  -v FLITE_VOICES="${flite_seen[*]}" -v FLITE_HELDOUT="${flite_heldout[*]}" \
  -v FESTIVAL_VOICES="${festival_seen[*]}" -v FESTIVAL_HELDOUT="${festival_heldout[*]}" \
  -v BABBLE_SECONDS="$babble_seconds" -v BABBLE_OUT="$tmp/noise/babble.tsv" \
  -v HELDOUT_OUT="$tmp/work/heldout_combos" \
  -f "$here/plan_corpus.awk" "$tmp/sentences.tsv" > "$tmp/plan.tsv"

# Babble: each talker reads its sentences in one program run (a long text,
# no per-sentence start), is brought to 16 kHz at its planned peak level and
# repeated to the babble's length; the talkers are mixed. About 1.5 s of CPU.
make_babble() {
  local talker engine voice rate pitch level mix=()
  while IFS=$'\t' read -r talker engine voice rate pitch level; do
    awk -F '\t' -v t="$talker" '$1 == t {print $7}' "$tmp/noise/babble.tsv" > "$tmp/noise/talker.txt"
    case $engine in
      espeak) espeak-ng -v "$voice" -s "$rate" -p "$pitch" -f "$tmp/noise/talker.txt" \
                -w "$tmp/noise/talker.wav" ;;
      flite) flite -voice "$voice" --setf duration_stretch="$rate" -f "$tmp/noise/talker.txt" \
               -o "$tmp/noise/talker.wav" ;;
    esac
    sox -R -D "$tmp/noise/talker.wav" -t s16 -r 16000 -c 1 "$tmp/noise/talker$talker.s16" \
      gain -n "$level" rate 16000 repeat 1 trim 0 "$babble_seconds"
    mix+=(-t s16 -r 16000 -c 1 "$tmp/noise/talker$talker.s16")
  done < <(cut -f 1-6 "$tmp/noise/babble.tsv" | uniq)
  sox -R -D -m "${mix[@]}" -t s16 "$tmp/noise/babble.s16" trim 0 "$babble_seconds" gain -n -3 stat
}
make_babble 2> "$tmp/noise/babble.stat" &
noise_pid[babble]=$!
noise_samples[babble]=$((babble_seconds * 16000))
pids+=($!)

# --- synthesis ------------------------------------------------------------
colours=(white pink brown babble)
wait_noise() {  # the noise recordings started above: done, and their RMS
  local colour
  for colour in "${colours[@]}"; do
    wait "${noise_pid[$colour]}" || { cat "$tmp/noise/$colour.stat" >&2; die "making $colour noise failed"; }
    read_stat "$tmp/noise/$colour.stat"
    ((stat_samples == noise_samples[$colour] && stat_rms > 0)) || die "no $colour noise from sox"
    noise_rms[$colour]=$stat_rms
  done
  pids=()
}

# Job J renders plan lines J, J + JOBS, ... (see synthesize.py); the audio
# does not depend on JOBS.
splits=(train dev test)
((dev_unseen_utts == 0)) || splits+=(dev_unseen)
((test_unseen_utts == 0)) || splits+=(test_unseen)
for split in "${splits[@]}"; do mkdir -p "$tmp/audio/$split"; done
num_utts=$(wc -l < "$tmp/plan.tsv")
wait_noise
noise_arg=""
for colour in "${colours[@]}"; do
  noise_arg+="$colour:${noise_samples[$colour]}:${noise_rms[$colour]} "
done
echo "$prog: synthesizing $num_utts utterances with $jobs jobs" >&2
declare -A job_of
for ((j = 0; j < jobs; j++)); do
  python3 "$here/synthesize.py" --plan "$tmp/plan.tsv" --job "$j" --jobs "$jobs" \
    --noise-dir "$tmp/noise" --noise "$noise_arg" \
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
# plan.tsv columns: 1 split, 2 utt, 3 speaker, 4 engine, 11 snr, 14 codec,
# 16 transcript (plan_corpus.awk).
for split in "${splits[@]}"; do
  d=$tmp/$split
  mkdir -p "$d"
  awk -F '\t' -v s="$split" '$1 == s' "$tmp/plan.tsv" > "$tmp/work/$split.plan"
  awk -F '\t' -v d="$out/audio/$split" '{print $2, d "/" $2 ".flac"}' "$tmp/work/$split.plan" |
    sort > "$d/wav.scp"
  awk -F '\t' '{print $2, $16}' "$tmp/work/$split.plan" | sort > "$d/text"
  awk -F '\t' '{print $2, $3}' "$tmp/work/$split.plan" | sort > "$d/utt2spk"
  awk '{u[$2] = u[$2] " " $1} END {for (s in u) print s u[s]}' "$d/utt2spk" | sort > "$d/spk2utt"
  awk 'NR == FNR {want[$1] = 1; next} ($1 in want) {printf "%s %.3f\n", $1, $2 / 16000}' \
    "$d/utt2spk" "$tmp/work/samples" | sort > "$d/utt2dur"
done

# --- summary --------------------------------------------------------------
version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
{
  echo "Synthetic English speech corpus of Verbatim's mini recipe (recipes/mini/local/make_corpus.sh)."
  echo "seed: $seed"
  echo "options: --train-hours $train_hours --train-utts $train_utts --dev-utts $dev_utts" \
    "--test-utts $test_utts --dev-unseen-utts $dev_unseen_utts --test-unseen-utts $test_unseen_utts" \
    "--engines '$engines' --noise-share $noise_share --effects-share $effects_share"
  echo "tools: espeak-ng $(espeak-ng --version | awk '{print $4}')," \
    "flite $(version flite), festival $(version festival)," \
    "sox $(sox --version | awk '{print $NF}'), fortunes $(version fortunes)"
  echo "sentences: $(wc -l < "$tmp/sentences.tsv") distinct, from ${#fortune_files[@]} fortune files;" \
    "no text is in two splits"
  printf '%-11s %7s %8s %9s %7s %6s %7s %6s %9s %6s\n' split utts hours speakers texts noisy \
    espeak flite festival gsm
  for split in "${splits[@]}"; do
    printf '%-11s %7d %8.3f %9d %7d %6d %7d %6d %9d %6d\n' "$split" "$(wc -l < "$tmp/$split/text")" \
      "$(awk '{s += $2} END {print s / 3600}' "$tmp/$split/utt2dur")" \
      "$(wc -l < "$tmp/$split/spk2utt")" "$(cut -d ' ' -f2- "$tmp/$split/text" | sort -u | wc -l)" \
      $(awk -F '\t' '{noisy += $11 <= 25; e[$4]++; gsm += $14 == "gsm"}
        END {print noisy + 0, e["espeak"] + 0, e["flite"] + 0, e["festival"] + 0, gsm + 0}' \
        "$tmp/work/$split.plan")
  done
  echo "accents (${#accents[@]}): ${accents[*]}"
  echo "female variants (${#seen_female[@]} seen, 40% of espeak-ng utterances): ${seen_female[*]}"
  echo "male variants (${#seen_male[@]} seen): ${seen_male[*]}"
  echo "flite voices: ${flite_seen[*]:-(none)}; festival voices: ${festival_seen[*]:-(none)}"
  echo "held out (dev_unseen and test_unseen only):"
  echo "  espeak-ng variants, every accent: ${heldout_female[*]} ${heldout_male[*]}"
  echo "  espeak-ng accent+variant pairs: $(cat "$tmp/work/heldout_combos")"
  echo "  flite: ${flite_heldout[*]:-(none)}; festival: ${festival_heldout[*]:-(none)}"
  echo "  condition: GSM 06.10 codec round trip (8 kHz) on" \
    "$(awk -v s="$codec_share" 'BEGIN {print s * 100}')% of their utterances"
  echo "speaker = accent_variant (espeak-ng), flite-VOICE, festival-VOICE; plan.tsv has every" \
    "utterance's engine, voice, rate, pitch, effects, noise and codec."
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
sed -n '/^split /,/^accents/p' "$out/corpus.txt" | sed '$d' >&2
