#!/usr/bin/env bash
# Combines Kaldi data directories into one (as Kaldi's utils/combine_data.sh):
#   local/combine_data.sh OUT IN1 [IN2 ...]
# wav.scp, text, utt2spk, utt2dur (and segments when every input has one) are
# concatenated and sorted; spk2utt is rebuilt. Duplicate utterance ids are an error.
set -euo pipefail
(($# >= 2)) || { echo "usage: $0 OUT IN1 [IN2 ...]" >&2; exit 2; }
out=$1; shift
export LC_ALL=C
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "${out%/}.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for f in wav.scp text utt2spk utt2dur segments; do
  have=0
  for d in "$@"; do [[ -f $d/$f ]] && have=$((have + 1)); done
  if ((have == 0)); then continue; fi
  if ((have != $#)); then
    [[ $f == segments ]] && { echo "$0: segments in some inputs only" >&2; exit 1; }
    echo "$0: $f missing in some inputs; left out" >&2; continue
  fi
  for d in "$@"; do cat "$d/$f"; done | sort -k1,1 -s > "$tmp/$f"
done
dups=$(cut -d' ' -f1 "$tmp/utt2spk" | uniq -d | head -n 3)
[[ -z $dups ]] || { echo "$0: duplicate utterance ids, e.g.: $dups" >&2; exit 1; }
awk '{ if (!($2 in s)) order[n++] = $2; s[$2] = s[$2] " " $1 }
     END { for (i = 0; i < n; i++) print order[i] s[order[i]] }' "$tmp/utt2spk" |
  sort -k1,1 > "$tmp/spk2utt"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "$out: $(wc -l < "$out/utt2spk") utterances from $# directories"
