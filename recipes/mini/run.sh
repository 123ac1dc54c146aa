#!/usr/bin/env bash
# The mini recipe: Verbatim end to end on synthetic speech, on two CPU cores,
# with nothing to download. Stages (Kaldi/ESPnet style):
#   0  install dependencies and build
#   1  synthesize the corpus with espeak-ng, flite and festival (Kaldi data
#      dirs train, dev, test; dev_unseen and test_unseen: voices, sentences and
#      a channel that training never has)
#   2  validate the data, global CMVN statistics
#   3  tokenizer (SentencePiece unigram)
#   4  train (exp/train), the last epoch's model in exp/train/model
#   5  decode test and test_unseen (joint CTC/attention beam search), score
#   6  transcribe one test recording with `verbatim transcribe` (JSON with word times)
#
#   recipes/mini/run.sh [--stage N] [--stop-stage M] [--quick|--full] [--workdir DIR]
#   --quick: tiny corpus and model, every stage in a few minutes (CI)
#   --full: twice the corpus (16 h) and 8 epochs: about 4x the training
#           compute, about 90 minutes, a better model (not yet measured)
#   --workdir: where data/ and exp/ go (default: this recipe's folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stage=0; stop_stage=100; quick=false; full=false; workdir=
while (($#)); do
  case $1 in
    --stage) stage=$2; shift 2 ;;
    --stop-stage) stop_stage=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    --full) full=true; shift ;;
    --workdir) workdir=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
train_flags=()  # over the YAML (defaults < YAML < flags)
if $quick; then
  size=(--tiny); vocab=60; conf=conf/quick.yaml; data=data/quick; exp=exp/quick; average=1; beam=4
elif $full; then
  size=(--train-hours 16.0); vocab=256; conf=conf/train.yaml; data=data/corpus_full
  exp=exp/full; average=1; beam=10; train_flags=(--epochs 8)
else
  size=(--train-hours 8.0); vocab=256; conf=conf/train.yaml; data=data/corpus; exp=exp; average=1
  beam=10
fi
# Chosen on the dev split (README.md): the small attention decoder is the
# weaker half here, and a length bonus offsets its early ends (deletions).
# (--quick's barely trained model just babbles on with a bonus: none there.)
ctc_weight=0.7; length_bonus=1.0; $quick && length_bonus=0
# Every token gets its CTC prefix score (pre-beam = vocabulary): the weak
# attention decoder's top 15 often miss the right token (dev WER 33.0% with
# ESPnet's 1.5 x beam, 25.3% with all 256). The model is the last epoch's:
# the cosine schedule's epochs differ too much to average (dev 30.5% rescored
# with the last, 31.4% with the last 2, 33.7% with the last 3).
search=(--search attention --beam "$beam" --ctc-weight "$ctc_weight" --length-bonus "$length_bonus"
  --pre-beam "$vocab")
conf=$here/$conf
mkdir -p "${workdir:=$here}"
cd "$workdir"
verbatim=${VERBATIM_BIN:-$root/build/tools/verbatim}  # VERBATIM_BIN: use another build
threads=$(nproc)
# Training leaves one core to its data-loading thread (fbank on the fly): on
# 2 cores 1 compute thread trained at 97x real time, 2 threads at 92x.
train_threads=$((threads > 1 ? threads - 1 : 1))
# Two cores: OpenMP threads must not spin while waiting (1.4x to 4x here).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
log() { echo "[$(date +%H:%M:%S)] $*"; }
SECONDS=0

if ((stage <= 0 && stop_stage >= 0)); then
  # The executable alone: tools/test.sh builds the tests and benchmarks.
  log "stage 0: dependencies and build (the verbatim executable)"
  "$root/tools/build.sh" --target verbatim "$root/build"
fi
if ((stage <= 1 && stop_stage >= 1)); then
  log "stage 1: synthesizing the corpus (${size[*]})"
  rm -rf "$data"
  "$here/local/make_corpus.sh" --seed 1 --jobs "$threads" "${size[@]}" --out "$data"
fi
if ((stage <= 2 && stop_stage >= 2)); then
  log "stage 2: data validation and global CMVN"
  mkdir -p "$exp"
  for split in train dev test dev_unseen test_unseen; do
    "$verbatim" validate-data --max-examples 3 "$data/$split" | tail -n 1
  done
  # The training configuration's features, so that the statistics fit them.
  "$verbatim" compute-cmvn --config "$conf" --threads="$threads" --out "$exp/cmvn.txt" \
    "$data/train/wav.scp"
fi
if ((stage <= 3 && stop_stage >= 3)); then
  log "stage 3: tokenizer (unigram, $vocab tokens)"
  "$verbatim" tokenizer train --text "$data/train/text" --vocab "$vocab" --type unigram \
    --normalize librispeech --out "$exp/tokenizer"
fi
if ((stage <= 4 && stop_stage >= 4)); then
  log "stage 4: training ($conf)"
  resume=(); [[ -f "$exp/train/checkpoints/latest" ]] && resume=(--resume)
  "$verbatim" train --config "$conf" --train "$data/train" --dev "$data/dev" \
    --tokenizer "$exp/tokenizer" --cmvn "$exp/cmvn.txt" --exp "$exp/train" \
    --average "$average" --threads "$train_threads" "${train_flags[@]}" "${resume[@]}"
fi
if ((stage <= 5 && stop_stage >= 5)); then
  for split in test test_unseen; do
    log "stage 5: decoding $split (${search[*]})"
    "$verbatim" decode --model "$exp/train/model" --data "$data/$split" --out "$exp/decode_$split" \
      "${search[@]}" --threads "$threads"
  done
fi
if ((stage <= 6 && stop_stage >= 6)); then
  # The first test utterance, as a user would transcribe any recording.
  read -r utt audio < <(head -n 1 "$data/test/wav.scp")
  log "stage 6: verbatim transcribe $audio"
  "$verbatim" transcribe --model "$exp/train/model" "${search[@]}" --format json \
    --output "$exp/transcribe_example.json" "$audio"
  echo "reference:  $(grep "^$utt " "$data/test/text" | cut -d' ' -f2-)"
  echo "transcript: $("$verbatim" transcribe --model "$exp/train/model" "${search[@]}" "$audio")"
  echo "(words with times and confidences: $exp/transcribe_example.json)"
fi
if ((stage <= 5 && stop_stage >= 5)); then
  log "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
  # test: voices and conditions of training, other sentences; test_unseen:
  # voices, sentences and a channel that training never had.
  for split in test test_unseen; do echo "$split:"; cat "$exp/decode_$split/wer"; done
fi
