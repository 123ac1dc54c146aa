#!/usr/bin/env bash
# Synthetic English speech with espeak-ng: sentences from Debian's fortunes,
# normalized LibriSpeech-style (upper case, letters, apostrophes, spaces),
# spoken by a mix of espeak-ng English voices and variants at varied rates
# and pitches, converted to 16 kHz mono FLAC; written as a Kaldi data dir.
#
#   local/make_corpus.sh --num N --seed S --out DIR
# Deterministic for a given seed (same sentences, voices and audio).
set -euo pipefail
num=30; seed=1; out=data/tiny
while (($#)); do
  case $1 in
    --num) num=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "make_corpus.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fortunes=/usr/share/games/fortunes
[[ -d $fortunes ]] || { echo "make_corpus.sh: $fortunes not found (apt-get install fortunes)" >&2; exit 1; }
mkdir -p "$out/wav"

# Sentences: split fortunes on sentence ends, normalize, keep 3..20 words, dedupe.
LC_ALL=C cat "$fortunes"/{computers,cookie,education,fortunes,literature,people,science,wisdom,work} 2>/dev/null |
  tr '\n' ' ' | sed 's/%/\n/g; s/[.!?] /&\n/g' |
  tr 'a-z' 'A-Z' | sed "s/[^A-Z' ]/ /g; s/  */ /g; s/^ //; s/ \$//" |
  awk 'NF >= 3 && NF <= 20' | LC_ALL=C sort -u |
  awk -v seed="$seed" 'BEGIN{srand(seed)} {print rand() "\t" $0}' | LC_ALL=C sort -k1,1 |
  cut -f2- | awk -v n="$num" 'NR <= n' > "$out/sentences.txt"

voices=(en-us en-gb en-gb-scotland en-gb-x-gbclan en-gb-x-rp en-gb-x-gbcwmd en-029)
variants=(m1 m2 m3 m4 m5 m6 m7 f1 f2 f3 f4 f5 klatt klatt2 klatt3 klatt4 croak whisper)
: > "$out/wav.scp"; : > "$out/text"; : > "$out/utt2spk"
RANDOM=$seed
i=0
while IFS= read -r sentence; do
  i=$((i + 1))
  voice=${voices[RANDOM % ${#voices[@]}]}+${variants[RANDOM % ${#variants[@]}]}
  rate=$((120 + RANDOM % 80)); pitch=$((25 + RANDOM % 50))
  spk="${voice//+/-}"
  utt=$(printf '%s-%05d' "$spk" "$i")
  espeak-ng -v "$voice" -s "$rate" -p "$pitch" -w "$out/wav/$utt.tmp.wav" "$sentence"
  sox -q "$out/wav/$utt.tmp.wav" -r 16000 -c 1 -b 16 "$out/wav/$utt.flac"
  rm -f "$out/wav/$utt.tmp.wav"
  echo "$utt $(cd "$out" && pwd)/wav/$utt.flac" >> "$out/wav.scp"
  echo "$utt $sentence" >> "$out/text"
  echo "$utt $spk" >> "$out/utt2spk"
done < "$out/sentences.txt"
for f in wav.scp text utt2spk; do LC_ALL=C sort -o "$out/$f" "$out/$f"; done
echo "make_corpus.sh: $i utterances in $out" >&2
