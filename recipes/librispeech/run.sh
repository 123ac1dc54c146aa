#!/usr/bin/env bash
# The LibriSpeech recipe: a Transformer CTC/attention model on the 960 hours
# of LibriSpeech, scored on dev-clean, dev-other, test-clean and test-other.
# Stages (Kaldi/ESPnet style; each can be skipped and re-run):
#   0  build verbatim if it is not built
#   1  data preparation: Kaldi data dirs from the corpus, train = the three
#      training subsets combined, dev = dev-clean + dev-other
#   2  global CMVN statistics (on a random subset of the training set)
#   3  tokenizer (SentencePiece unigram, 5000 pieces)
#   4  training (conf/train_transformer.yaml), resumes when interrupted
#   5  checkpoint averaging (the 10 best by validation loss, else the last 10)
#   6  decoding of the test sets (conf/decode.conf)
#   7  scoring: exp/RESULTS.md, a Markdown table of WER and CER
#
#   recipes/librispeech/run.sh --librispeech /corpora/LibriSpeech [options]
#   --librispeech DIR   folder holding train-clean-100/, ..., test-other/
#                       (LibriSpeech, published at https://www.openslr.org/12)
#   --stage N --stop-stage M   run stages N..M (default 0..100)
#   --workdir DIR       where data/ and exp/ go (default: this folder)
#   --device DEV        cpu, cuda or cuda:N (default: cuda when nvidia-smi works)
#   --world-size N --rank R --master-addr A --master-port P
#                       data-parallel training over N processes (stage 4;
#                       see README.md); run stages 5-7 on rank 0 only
#   --smoke             every stage on ../shared/speech/librispeech_sample
#                       with a tiny model (CI); exits 77 when it is absent
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stage=0; stop_stage=100; workdir=; corpus=; smoke=false; device=auto
world_size=1; rank=0; master_addr=127.0.0.1; master_port=29500
while (($#)); do
  case $1 in
    --librispeech) corpus=$2; shift 2 ;;
    --stage) stage=$2; shift 2 ;;
    --stop-stage) stop_stage=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --world-size) world_size=$2; shift 2 ;;
    --rank) rank=$2; shift 2 ;;
    --master-addr) master_addr=$2; shift 2 ;;
    --master-port) master_port=$2; shift 2 ;;
    --smoke) smoke=true; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if $smoke; then
  # The sample has 8 utterances of dev-clean and test-clean only: train and
  # validate on them, a character tokenizer, a tiny model.
  shared=${VERBATIM_SHARED:-$root/../shared}
  corpus=$shared/speech/librispeech_sample
  if [[ ! -d $corpus ]]; then
    echo "run.sh --smoke: skipped: $corpus is absent (the shared speech material)"
    exit 77
  fi
  train_sets=(dev-clean test-clean); dev_sets=(dev-clean); test_sets=(dev-clean test-clean)
  conf=$here/conf/smoke.yaml; decode_conf=$here/conf/smoke_decode.conf
  tokenizer_type=char; vocab=0; cmvn_utts=0; n_average=2
  [[ $device == auto ]] && device=cpu
else
  train_sets=(train-clean-100 train-clean-360 train-other-500); dev_sets=(dev-clean dev-other)
  test_sets=(dev-clean dev-other test-clean test-other)
  conf=$here/conf/train_transformer.yaml; decode_conf=$here/conf/decode.conf
  tokenizer_type=unigram; vocab=5000
  cmvn_utts=30000  # ~100 h: global mean and variance are settled long before 960 h
  n_average=10
fi
if [[ $device == auto ]]; then
  device=cpu
  if command -v nvidia-smi > /dev/null && nvidia-smi > /dev/null 2>&1; then device=cuda; fi
fi
# shellcheck source=conf/decode.conf
source "$decode_conf"

mkdir -p "${workdir:=$here}"
cd "$workdir"
verbatim=${VERBATIM_BIN:-$root/build/tools/verbatim}  # VERBATIM_BIN: use another build
threads=$(nproc)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
exp=exp/train
log() { echo "[$(date +%H:%M:%S)] $*"; }
dirname_of() { echo "${1//-/_}"; }  # dev-clean -> dev_clean (verbatim prepare's naming)
SECONDS=0

if ((stage <= 0 && stop_stage >= 0)); then
  if [[ -x $verbatim ]]; then
    log "stage 0: $verbatim is built"
  else
    log "stage 0: building verbatim"
    "$root/tools/build.sh" "$root/build"
  fi
fi

if ((stage <= 1 && stop_stage >= 1)); then
  log "stage 1: data preparation from ${corpus:-?}"
  if [[ -z $corpus ]]; then
    echo "run.sh: give the corpus with --librispeech DIR (LibriSpeech is published at" \
      "https://www.openslr.org/12; download and unpack the subsets there)" >&2
    exit 1
  fi
  all_sets=$(printf '%s\n' "${train_sets[@]}" "${dev_sets[@]}" "${test_sets[@]}" | sort -u)
  missing=()
  for s in $all_sets; do [[ -d $corpus/$s ]] || missing+=("$s"); done
  if ((${#missing[@]})); then
    echo "run.sh: $corpus lacks ${missing[*]}. Download ${missing[*]/%/.tar.gz} from" \
      "https://www.openslr.org/12 and unpack them so that $corpus/<subset>/<speaker>/<chapter>/" \
      "exists (the archives unpack to LibriSpeech/<subset>)." >&2
    exit 1
  fi
  "$verbatim" prepare librispeech --root "$corpus" --subsets "$(echo $all_sets | tr ' ' ,)" \
    --out data --threads "$threads"
  local_sets=(); for s in "${train_sets[@]}"; do local_sets+=("data/$(dirname_of "$s")"); done
  "$here/local/combine_data.sh" data/train "${local_sets[@]}"
  local_sets=(); for s in "${dev_sets[@]}"; do local_sets+=("data/$(dirname_of "$s")"); done
  "$here/local/combine_data.sh" data/dev "${local_sets[@]}"
  for d in data/train data/dev; do "$verbatim" validate-data --max-examples 3 "$d" | tail -n 1; done
fi

if ((stage <= 2 && stop_stage >= 2)); then
  mkdir -p exp
  scp=data/train/wav.scp
  if ((cmvn_utts > 0)) && (($(wc -l < "$scp") > cmvn_utts)); then
    # A fixed random subset, the same on every run.
    awk -v seed=1 'BEGIN { srand(seed) } { print rand() "\t" $0 }' "$scp" | sort -k1,1 |
      head -n "$cmvn_utts" | cut -f2- > exp/cmvn_subset.scp
    scp=exp/cmvn_subset.scp
  fi
  log "stage 2: global CMVN statistics on $(wc -l < "$scp") utterances"
  "$verbatim" compute-cmvn --config "$conf" --threads="$threads" --out exp/cmvn.txt "$scp"
fi

if ((stage <= 3 && stop_stage >= 3)); then
  vocab_args=(); ((vocab > 0)) && vocab_args=(--vocab "$vocab")
  log "stage 3: tokenizer ($tokenizer_type${vocab_args[*]:+, ${vocab} pieces})"
  "$verbatim" tokenizer train --text data/train/text --type "$tokenizer_type" \
    "${vocab_args[@]}" --normalize librispeech --out exp/tokenizer
fi

if ((stage <= 4 && stop_stage >= 4)); then
  log "stage 4: training ($conf on $device, world size $world_size)"
  extra=()
  [[ -f $exp/checkpoints/latest ]] && extra+=(--resume)
  if ((world_size > 1)); then
    extra+=(--world-size "$world_size" --rank "$rank" --master-addr "$master_addr"
            --master-port "$master_port")
  fi
  "$verbatim" train --config "$conf" --train data/train --dev data/dev \
    --tokenizer exp/tokenizer --cmvn exp/cmvn.txt --exp "$exp" --device "$device" \
    --threads "$threads" --average 1 "${extra[@]}"
  "$verbatim" plot --log "$exp/train.log.jsonl" --out "$exp/curves.svg"
fi

model=$exp/model_average
if ((stage <= 5 && stop_stage >= 5)); then
  if [[ -f $exp/checkpoints/best ]]; then which=(--best "$n_average"); else which=(--last "$n_average"); fi
  log "stage 5: averaging checkpoints (${which[*]})"
  "$verbatim" average --exp "$exp" "${which[@]}" --tokenizer exp/tokenizer --cmvn exp/cmvn.txt \
    --out "$model"
fi

if ((stage <= 6 && stop_stage >= 6)); then
  for s in "${test_sets[@]}"; do
    log "stage 6: decoding $s ($search, beam $beam, CTC weight $ctc_weight)"
    "$verbatim" decode --model "$model" --data "data/$(dirname_of "$s")" \
      --out "$exp/decode_$(dirname_of "$s")" --search "$search" --beam "$beam" \
      --ctc-weight "$ctc_weight" --length-bonus "$length_bonus" \
      --batch-size "$decode_batch_size" --threads "$threads" --device "$device"
  done
fi

if ((stage <= 7 && stop_stage >= 7)); then
  log "stage 7: results table"
  {
    echo "| set | WER % | CER % | words | ins | del | sub |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for s in "${test_sets[@]}"; do
      w=$exp/decode_$(dirname_of "$s")/wer
      [[ -f $w ]] || { echo "run.sh: $w missing (run stage 6)" >&2; exit 1; }
      # %WER 2.61 [ 1372 / 52576, 150 ins, 140 del, 1082 sub ]
      awk -v set="$s" '/^%WER/ { wer = $2; words = $6; ins = $7; del = $9; sub_ = $11;
                                 sub(",", "", words) }
                       /^%CER/ { cer = $2 }
                       END { printf "| %s | %s | %s | %s | %s | %s | %s |\n",
                                    set, wer, cer, words, ins, del, sub_ }' "$w"
    done
  } > exp/RESULTS.md.tmp
  mv exp/RESULTS.md.tmp exp/RESULTS.md
  cat exp/RESULTS.md
  log "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
fi
