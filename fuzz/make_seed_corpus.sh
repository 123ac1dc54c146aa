#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/<target>/ (kept in the repo;
# run this only to change them; inputs named regression_* are findings of
# the fuzzers, kept as they are). Needs sox. Small files: a few dozen per
# target, each a valid input or a near miss, so that the fuzzers start from
# the interesting paths instead of having to discover the formats.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/corpus"
# Findings kept as regression inputs (regression_*) stay; the rest is remade.
[[ -d $out ]] && find "$out" -type f ! -name 'regression_*' -delete
mkdir -p "$out"/{audio_reader,kaldi_data_dir,train_config,model_dir}

# ---- audio_reader: tiny files in every container and encoding we read.
a="$out/audio_reader"
synth() {  # synth NAME DURATION_S [sox output options...]
  local name=$1 dur=$2
  shift 2
  sox -q -n -r 16000 -c 1 "$@" "$a/$name" synth "$dur" sine 440 vol 0.5 2>/dev/null ||
    echo "make_seed_corpus.sh: sox cannot write $name, skipped" >&2
}
synth pcm16.wav 0.01 -b 16 -e signed-integer
synth pcm24.wav 0.01 -b 24 -e signed-integer
synth pcm32.wav 0.005 -b 32 -e signed-integer
synth u8.wav 0.01 -b 8 -e unsigned-integer
synth float.wav 0.005 -b 32 -e floating-point
synth double.wav 0.003 -b 64 -e floating-point
synth ulaw.wav 0.01 -e u-law
synth alaw.wav 0.01 -e a-law
synth ima_adpcm.wav 0.02 -e ima-adpcm
synth ms_adpcm.wav 0.02 -e ms-adpcm
synth gsm.wav 0.04 -e gsm-full-rate
synth pcm16.flac 0.02 -b 16
synth pcm24.flac 0.01 -b 24
synth pcm8.flac 0.02 -b 8
synth vorbis.ogg 0.05
synth pcm16.aiff 0.01 -b 16
synth float.aifc 0.005 -b 32 -e floating-point
synth pcm16.au 0.01 -b 16
synth ulaw.au 0.01 -e u-law
synth pcm16.caf 0.01 -b 16
synth pcm16.w64 0.005 -b 16
synth pcm16.sph 0.01 -b 16
synth pcm16.ircam 0.01 -b 16
synth pcm16.voc 0.01 -b 16
synth pcm16.paf 0.01 -b 16
synth pcm16.mat5 0.005 -b 16
synth pcm16.xi 0.01 -b 16
sox -q -n -r 8000 -c 1 -b 16 "$a/rate8k.wav" synth 0.02 sine 300
sox -q -n -r 48000 -c 1 -b 16 "$a/rate48k.wav" synth 0.004 sine 300
sox -q -n -r 44100 -c 2 -b 16 "$a/stereo.flac" synth 0.005 sine 300 sine 500
sox -q -n -r 16000 -c 6 -b 16 "$a/six_channels.wav" synth 0.003 sine 300
sox -q -n -r 16000 -c 1 -b 16 "$a/one_sample.wav" synth 1s sine 300
sox -q -n -r 16000 -c 1 -b 16 "$a/silence.wav" trim 0 0.01
# Near misses: no samples, a cut data chunk, a NaN sample, a streamed size.
head -c 44 "$a/pcm16.wav" >"$a/header_only.wav"
head -c 200 "$a/pcm16.wav" >"$a/truncated.wav"
head -c 300 "$a/pcm16.flac" >"$a/truncated.flac"
cp "$a/float.wav" "$a/nan.wav"
printf '\x00\x00\xc0\x7f' | dd of="$a/nan.wav" bs=1 seek=100 conv=notrunc status=none
{ head -c 40 "$a/pcm16.wav"; printf '\x00\xf0\xff\x7f'; tail -c +45 "$a/pcm16.wav"; } \
  >"$a/streamed_size.wav"

# ---- kaldi_data_dir: wav.scp \f text \f utt2spk \f segments \f utt2dur
k="$out/kaldi_data_dir"
ff=$'\f'
seed() { printf '%s' "$2" >"$1"; }
seed "$k/wav_only" $'rec1 /data/a.wav\nrec2 /data/b.flac\n'
seed "$k/with_text" "rec1 /data/a.wav${ff}rec1 HELLO WORLD"
seed "$k/with_spk" $'u1 a.wav\nu2 b.wav\n'"${ff}"$'u1 ONE\nu2 TWO TWO\n'"${ff}"$'u1 spk1\nu2 spk1\n'
seed "$k/segments" $'r1 a.wav\nr2 b.wav\n'"${ff}"$'s1 HI\ns2 THERE\ns3\n'"${ff}"$'s1 A\ns2 A\ns3 B\n'"${ff}"$'s1 r1 0 1.5\ns2 r1 1.5 2.25\ns3 r2 0.1 9.99\n'
seed "$k/utt2dur" $'r1 a.wav\n'"${ff}"$'s1 X\n'"${ff}"$'s1 s\n'"${ff}"$'s1 r1 0.5 1\n'"${ff}"$'s1 0.5\n'
seed "$k/pipe" $'r1 sox a.wav -t wav - |\n'
seed "$k/tabs_crlf" $'r1\t/a b.wav \r\nr2  x.wav\r\n'"${ff}"$'r1\tYES\r\nr2 \r\n'
seed "$k/empty_text" "r1 a.wav${ff}r1"
seed "$k/no_value" $'r1\n'
seed "$k/duplicate" $'r1 a.wav\nr1 b.wav\n'
seed "$k/blank_lines" $'\n\n  \nr1 a.wav\n\n'
seed "$k/unknown_utt" "r1 a.wav${ff}r9 TEXT"
seed "$k/missing_utt" $'r1 a.wav\nr2 b.wav\n'"${ff}"'r1 ONLY'
seed "$k/bad_segment" $'r1 a.wav\n'"${ff}${ff}${ff}"$'s1 r1 2 1\n'
seed "$k/nan_segment" $'r1 a.wav\n'"${ff}${ff}${ff}"$'s1 r1 nan 1e400\n'
seed "$k/unknown_rec" $'r1 a.wav\n'"${ff}${ff}${ff}"$'s1 r7 0 1\n'
seed "$k/spk_spaces" $'r1 a.wav\n'"${ff}${ff}"$'r1 spk one\n'
seed "$k/utf8" $'r\xc3\xa9c a.wav\n'"${ff}"$'r\xc3\xa9c \xc3\xa9t\xc3\xa9\n'
seed "$k/empty" ""
seed "$k/precise_segments" $'r1 a.wav\n'"${ff}${ff}${ff}"$'s1 r1 0.123456789012 0.123456789013\ns2 r1 1e-9 2e-9\n'
seed "$k/cr_in_id" $'r1\r x.wav\n'
seed "$k/shared_recording" $'r1 a.wav\n'"${ff}${ff}${ff}"$'s1 r1 0 1\ns2 r1 1 2\ns3 r1 0 2\n'

# ---- train_config: YAML configurations, valid ones and typical mistakes.
c="$out/train_config"
cp "$here/../recipes/mini/conf/quick.yaml" "$c/quick.yaml"
cp "$here/../recipes/mini/conf/train.yaml" "$c/train.yaml"
seed "$c/model_only" $'model:\n  d_model: 256\n  num_heads: 4\n  encoder_layers: 12\n'
seed "$c/features" $'features:\n  num_mel_bins: 40\n  window_type: hamming\n  dither: 0\n  snip_edges: false\n'
seed "$c/augmentation" $'augmentation:\n  speed_perturb: true\n  speed_factors: [0.9, 1.0, 1.1]\n  spec_augment: true\n  time_mask_policy: adaptive\n  noise_files: [a.wav, b.wav]\n'
seed "$c/training" $'training:\n  epochs: 3\n  optimizer: adamw\n  precision: bf16\n  seed: 7\n  max_steps: 100\n'
seed "$c/guided" $'guided_attention:\n  weight: 0.5\n  layers: [0, 1]\n  heads: [0]\nscheduled_sampling:\n  max_probability: 0.3\n  ramp_steps: 10\n'
seed "$c/batching" $'batching:\n  max_frames: 10000\n  shuffle: false\n  min_duration_s: 0.5\n'
seed "$c/cmvn" $'cmvn:\n  norm_means: true\n  norm_vars: false\n'
seed "$c/normalizer" $'normalizer:\n  case: lower\n  keep_digits: true\n'
seed "$c/typo" $'model:\n  d_modle: 256\n'
seed "$c/wrong_type" $'training:\n  epochs: many\n'
seed "$c/bad_enum" $'features:\n  window_type: triangle\n'
seed "$c/not_a_map" $'- model\n- features\n'
seed "$c/scalar" 'hello'
seed "$c/empty" ''
seed "$c/flow" '{model: {d_model: 64, num_heads: 2}, training: {epochs: 1}}'
seed "$c/anchors" $'model: &m\n  d_model: 64\nfeatures: *m\n'
seed "$c/nested_list" $'augmentation:\n  speed_factors: [[1], 2]\n'
seed "$c/special_floats" $'training:\n  peak_lr: .nan\n  grad_clip: .inf\n  weight_decay: -0\n'
seed "$c/big_ints" $'training:\n  epochs: 99999999999999999999\n  seed: -1\n'
seed "$c/tabs" $'model:\n\td_model: 64\n'
seed "$c/duplicate_keys" $'model:\n  d_model: 64\n  d_model: 128\n'
seed "$c/null" $'model: ~\n'
seed "$c/multidoc" $'model:\n  d_model: 64\n---\nmodel:\n  d_model: 32\n'
seed "$c/tags" $'model: !!map\n  d_model: !!int "64"\n'
seed "$c/quoted" $'training:\n  optimizer: "adam"\n  precision: \'fp32\'\n'
if [[ -f "$here/../recipes/mini/exp/quick/train/config.yaml" ]]; then
  cp "$here/../recipes/mini/exp/quick/train/config.yaml" "$c/resolved.yaml"
fi

# ---- model_dir: model.yaml \f tokenizer.yaml \f cmvn.txt
m="$out/model_dir"
model_yaml=$'format_version: 1\nmodel:\n  input_dim: 80\n  vocab_size: 60\n  d_model: 64\n  num_heads: 2\nfeatures:\n  num_mel_bins: 80\n  dither: 0\ncmvn:\n  norm_means: true\n  norm_vars: true\n'
tok_yaml=$'format_version: 1\nmodel_type: unigram\nvocab_size: 60\nmodel_checksum: fnv1a64:40a7973b7d331499\nspecial_ids:\n  blank: 0\n  unk: 1\n  sos_eos: 2\nnormalizer:\n  case: upper\n  drop_tags: true\n  remove_punctuation: true\n  keep_apostrophes: true\n  keep_digits: false\n  keep_non_ascii_letters: false\n  collapse_whitespace: true\n'
cmvn=$' [\n  10 20 30 2\n  60 210 460 0 ]\n'
seed "$m/complete" "$model_yaml${ff}$tok_yaml${ff}$cmvn"
seed "$m/model_only" "$model_yaml"
seed "$m/bpe" "${ff}${tok_yaml/unigram/bpe}"
# A whole model directory as Verbatim writes it (model.yaml format 2), when
# the mini recipe's --quick run has made one.
q="$here/../recipes/mini/exp/quick/train/model"
if [[ -f "$q/model.yaml" ]]; then
  seed "$m/complete_v2" "$(cat "$q/model.yaml")${ff}$(cat "$q/tokenizer/tokenizer.yaml")${ff}$(cat "$q/cmvn.txt")"
fi
seed "$m/cmvn_keyed" "${ff}${ff}global  [
  1.5 -2.5 3
  4 5 0 ]
"
seed "$m/cmvn_one_line" "${ff}${ff}[ 1 2 3 4 5 6 7 8 ]"
seed "$m/cmvn_no_frames" "${ff}${ff}[ 1 0
 1 0 ]"
seed "$m/cmvn_nan" "${ff}${ff}[ nan 1 2
 inf 3 0 ]"
seed "$m/cmvn_negative_var" "${ff}${ff}[ 10 1
 1 0 ]"
seed "$m/cmvn_ragged" "${ff}${ff}[ 1 2 3
 4 5 ]"
seed "$m/cmvn_words" "${ff}${ff}[ one two
 three four ]"
seed "$m/cmvn_unclosed" "${ff}${ff}[ 1 2 3
 4 5 6"
seed "$m/cmvn_hex" "${ff}${ff}[ 0x10 1e3
 1e-400 2 ]"
seed "$m/version2" "${model_yaml/format_version: 1/format_version: 2}"
seed "$m/no_version" $'model:\n  d_model: 64\n'
seed "$m/tok_missing_key" "${ff}"$'format_version: 1\nmodel_type: unigram\nvocab_size: 60\n'
seed "$m/tok_bad_type" "${ff}${tok_yaml/unigram/word}"
seed "$m/tok_bad_ids" "${ff}${tok_yaml/blank: 0/blank: -5}"
seed "$m/tok_extra" "${ff}${tok_yaml}extra: 1
"
seed "$m/model_bad_value" "${model_yaml/d_model: 64/d_model: -64}"
seed "$m/model_float_dim" "${model_yaml/input_dim: 80/input_dim: 80.5}"
seed "$m/garbage" $'\x89PNG\r\n\x1a\n\x00\x00'
echo "make_seed_corpus.sh: $(find "$out" -type f | wc -l) seeds, $(du -sh "$out" | cut -f1)"
