# The utterance plan of the synthetic corpus: which sentence goes to which
# split, and how each utterance is spoken and degraded. All randomness of the
# corpus is drawn here, from SEED, so the parallel synthesis that follows is
# a pure function of each plan line.
#
#   awk -v SEED=1 -v DEV_UTTS=300 -v TEST_UTTS=300 -v TRAIN_SECONDS=3600 \
#       -v TRAIN_UTTS=0 -v NOISE_SHARE=0.3 -v EFFECTS_SHARE=1 -v ACCENTS="en-us en-gb" \
#       -v FEMALE="f1 f2" -v MALE="m1 m2" -f local/plan_corpus.awk sentences.tsv > plan.tsv
#
# Input: "<spoken><TAB><transcript>" lines, distinct transcripts, in a fixed
# order. The sentences are shuffled with SEED; the first DEV_UTTS go to dev,
# the next TEST_UTTS to test, the rest to train, so no text is in two splits,
# and dev/test do not depend on the size of train. Train takes TRAIN_UTTS
# utterances, or when that is 0, enough for about TRAIN_SECONDS of audio
# (estimated from the text and the speaking rate; the real total is measured
# after synthesis). When train needs more than the sentences left, it cycles
# through them again with other voices.
#
# Output, one TAB-separated line per utterance:
#   split utt speaker voice rate pitch gap effects noise snr offset peak spoken transcript
#   speaker  accent_variant, e.g. en-gb-scotland_f3 (the utterance id starts with it)
#   voice    espeak-ng -v argument, accent+variant
#   rate     espeak-ng -s, words per minute
#   pitch    espeak-ng -p, 0-99
#   gap      espeak-ng -g, pause between words in units of 10 ms
#   effects  sox effects after resampling to 16 kHz ("-" for none): speed
#            (tempo and formants), a telephone band or a low-pass, reverb
#   noise    white, pink or brown
#   snr      dB, speech RMS over noise RMS (whole utterance): 5-25 on a
#            NOISE_SHARE of the utterances, 40-60 (a noise floor) on the rest
#   offset   0-1, where in the noise recording the noise is taken from
#   peak     dBFS, the final peak level
# Plain POSIX awk; the random numbers come from MINSTD (exact in doubles),
# so any awk gives the same plan.

function seed_stream(stream,   i) {
  rng = (SEED * 7919 + stream * 104729 + 12345) % 2147483646 + 1
  for (i = 0; i < 16; i++) uniform()
}
function uniform() {  # [0, 1)
  rng = (rng * 48271) % 2147483647
  return (rng - 1) / 2147483646
}
function uniform_int(lo, hi) { return lo + int(uniform() * (hi - lo + 1)) }
function uniform_real(lo, hi) { return lo + uniform() * (hi - lo) }

# Seconds of audio for a transcript at a rate (espeak-ng words per minute), a
# word gap (10 ms units) and a speed factor; a least-squares fit to 1499
# utterances of espeak-ng 1.51 (11% standard error per utterance; totals of
# an hour came out within 2% of the target).
function estimate_seconds(text, rate, gap, speed,   words) {
  return (0.344 + 0.0552 * length(text) * 175 / rate + 0.0131 * gap * split(text, words, " ")) / speed
}

function plan_utterance(part, index_in_split, s,   accent, variant, spk, rate, pitch, gap, \
                        speed, fx, r, noise, snr, offset, peak) {
  accent = ACCENT[uniform_int(1, NUM_ACCENTS)]
  # 40% female voices, though espeak-ng has fewer female variants than male.
  if (NUM_MALE == 0 || (NUM_FEMALE > 0 && uniform() < 0.4))
    variant = FEMALE_VARIANT[uniform_int(1, NUM_FEMALE)]
  else
    variant = MALE_VARIANT[uniform_int(1, NUM_MALE)]
  spk = accent "_" variant
  rate = uniform_int(120, 220)
  pitch = uniform_int(15, 85)
  gap = uniform() < 0.7 ? 0 : uniform_int(1, 4)
  fx = ""
  speed = 1
  # EFFECTS_SHARE < 1 spares some utterances every effect (no draw at 1, so
  # the default plan is unchanged).
  if (EFFECTS_SHARE >= 1 || uniform() < EFFECTS_SHARE) {
    # Resampling speed changes tempo and formants together: another vocal
    # tract length on top of the variant's.
    if (uniform() < 0.3) {
      speed = sprintf("%.3f", uniform_real(0.9, 1.1))
      fx = fx " speed " speed
    }
    r = uniform()
    if (r < 0.12) fx = fx " sinc 300-3400"  # telephone band
    else if (r < 0.30) fx = fx " lowpass " uniform_int(3500, 7000)  # dull microphone
    if (uniform() < 0.2)  # a room: reverberance %, HF damping %, room scale %
      fx = fx " reverb " uniform_int(10, 60) " 50 " uniform_int(20, 100)
  }
  sub(/^ /, "", fx)
  if (fx == "") fx = "-"
  # Audible noise on a NOISE_SHARE of the utterances, a faint noise floor on
  # the others: real recordings are never digital silence between words.
  noise = NOISE[uniform_int(1, 3)]
  snr = uniform() < NOISE_SHARE ? uniform_int(5, 25) : uniform_int(40, 60)
  offset = sprintf("%.4f", uniform())
  peak = -uniform_int(1, 20)
  printf "%s\t%s-%s-%06d\t%s\t%s+%s\t%d\t%d\t%d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\n", part, spk, part,
         index_in_split, spk, accent, variant, rate, pitch, gap, fx, noise, snr, offset, peak,
         SPOKEN[s], TEXT[s]
  planned_seconds += estimate_seconds(TEXT[s], rate, gap, speed)
}

BEGIN {
  FS = "\t"
  if (EFFECTS_SHARE == "") EFFECTS_SHARE = 1
  NUM_ACCENTS = split(ACCENTS, ACCENT, " ")
  NUM_FEMALE = split(FEMALE, FEMALE_VARIANT, " ")
  NUM_MALE = split(MALE, MALE_VARIANT, " ")
  split("white pink brown", NOISE, " ")
  if (NUM_ACCENTS == 0 || NUM_FEMALE + NUM_MALE == 0) {
    print "plan_corpus.awk: no voices" > "/dev/stderr"; exit 1
  }
}
{ n++; SPOKEN[n] = $1; TEXT[n] = $2 }
END {
  if (NUM_ACCENTS == 0 || NUM_FEMALE + NUM_MALE == 0) exit 1
  if (n < DEV_UTTS + TEST_UTTS + 1) {
    printf "plan_corpus.awk: %d sentences, too few for %d dev + %d test + train\n", n, DEV_UTTS,
           TEST_UTTS > "/dev/stderr"
    exit 1
  }
  seed_stream(0)  # Fisher-Yates shuffle of the sentences
  for (i = n; i > 1; i--) {
    j = uniform_int(1, i)
    t = SPOKEN[i]; SPOKEN[i] = SPOKEN[j]; SPOKEN[j] = t
    t = TEXT[i]; TEXT[i] = TEXT[j]; TEXT[j] = t
  }
  seed_stream(1)
  for (i = 1; i <= DEV_UTTS; i++) plan_utterance("dev", i, i)
  seed_stream(2)
  for (i = 1; i <= TEST_UTTS; i++) plan_utterance("test", i, DEV_UTTS + i)
  seed_stream(3)
  first = DEV_UTTS + TEST_UTTS + 1
  planned_seconds = 0
  for (i = 1; TRAIN_UTTS > 0 ? i <= TRAIN_UTTS : planned_seconds < TRAIN_SECONDS; i++)
    plan_utterance("train", i, first + (i - 1) % (n - first + 1))
}
