# The utterance plan of the synthetic corpus: which sentence goes to which
# split, which synthesizer and voice speaks it, and how it is degraded. All
# randomness of the corpus is drawn here, from SEED, so the parallel synthesis
# that follows is a pure function of each plan line.
#
#   awk -v SEED=1 -v DEV_UTTS=300 -v TEST_UTTS=300 -v DEV_UNSEEN_UTTS=300 \
#       -v TEST_UNSEEN_UTTS=300 -v TRAIN_SECONDS=3600 -v TRAIN_UTTS=0 \
#       -v NOISE_SHARE=0.4 -v EFFECTS_SHARE=1 -v CODEC_SHARE=0.2 \
#       -v ENGINES="espeak:0.6 flite:0.25 festival:0.15" \
#       -v ACCENTS="en-us en-gb" -v FEMALE="f1 f2" -v MALE="m1 m2" \
#       -v HELDOUT_FEMALE="f4" -v HELDOUT_MALE="m6" \
#       -v FLITE_VOICES="kal slt" -v FLITE_HELDOUT="awb" \
#       -v FESTIVAL_VOICES="kal_diphone" -v FESTIVAL_HELDOUT="ked_diphone" \
#       -v BABBLE_SECONDS=90 -v BABBLE_OUT=babble.tsv -v HELDOUT_OUT=heldout.txt \
#       -f local/plan_corpus.awk sentences.tsv > plan.tsv
#
# Input: "<spoken><TAB><transcript>" lines, distinct transcripts, in a fixed
# order. The sentences are shuffled with SEED; the first DEV_UTTS go to dev,
# the next TEST_UTTS to test, then DEV_UNSEEN_UTTS to dev_unseen and
# TEST_UNSEEN_UTTS to test_unseen, the rest to train, so no text is in two
# splits, and dev/test depend on the seed and their own sizes alone. Train
# takes TRAIN_UTTS utterances, or when that is 0, enough for about
# TRAIN_SECONDS of audio (estimated from the text, the voice and the speaking
# rate; the real total is measured after synthesis). When train needs more
# than the sentences left, it cycles through them again with other voices.
#
# Voices: each utterance draws its engine by the ENGINES shares ("NAME:SHARE
# ...", espeak, flite, festival), then a voice of that engine. train, dev and
# test ("seen voices, unseen sentences") use the seen voices; dev_unseen and
# test_unseen use only held-out voices, which no other split has:
#   espeak-ng  the HELDOUT_FEMALE and HELDOUT_MALE variants with every accent,
#              and the accent+variant combinations whose name hashes to 0
#              modulo 13 (36 of the 568 other pairs of the default voices:
#              accent and variant are each known from training, the pair is
#              not); listed in HELDOUT_OUT. Seen: the other combinations of ACCENTS with
#              FEMALE and MALE. 40% of the utterances get a female variant.
#   flite      FLITE_HELDOUT; seen: FLITE_VOICES
#   festival   FESTIVAL_HELDOUT; seen: FESTIVAL_VOICES
# In the unseen splits the shares are those of the engines that have a
# held-out voice. A CODEC_SHARE of the unseen utterances also goes through a
# GSM 06.10 codec (8 kHz), a condition that no other split has.
#
# Output, one TAB-separated line per utterance (16 fields):
#   split utt speaker engine voice rate pitch gap effects noise snr offset peak codec spoken transcript
#   split    train, dev, test, dev_unseen or test_unseen
#   utt      SPEAKER-SPLIT-NNNNNN
#   speaker  espeak-ng: accent_variant, e.g. en-gb-scotland_f3; flite-VOICE,
#            festival-VOICE, e.g. flite-slt, festival-kal
#   engine   espeak, flite or festival
#   voice    espeak-ng: its -v argument, accent+variant; flite: its -voice
#            argument; festival: the voice, (voice_NAME), e.g. kal_diphone
#   rate     espeak-ng: -s, words per minute; flite and festival: duration
#            stretch relative to the voice's own rate (1.2 is 20% slower)
#   pitch    espeak-ng: -p, 0-99; flite and festival voices with an F0
#            target: mean F0 in Hz; the others (flite rms, festival's HTS
#            voice): a shift in cents after synthesis (sox pitch), e.g. -250c
#   gap      espeak-ng: -g, pause between words in units of 10 ms; "-" for
#            the others
#   effects  sox effects after the speech is at 16 kHz ("-" for none), in the
#            order of the sound's way: speed (tempo and formants), tempo (time
#            stretch), a room (reverb), a microphone's colour (equalizer
#            bands, a high-pass), a channel (telephone band at 8 kHz, an 8 kHz
#            round trip or a low-pass); the synthesizer returns to 16 kHz
#   noise    white, pink, brown or babble (synthetic speech of six talkers)
#   snr      dB, speech RMS over noise RMS (whole utterance): 5-25 on a
#            NOISE_SHARE of the utterances, 40-60 (a noise floor) on the rest
#   offset   0-1, where in the noise recording the noise is taken from
#   peak     dBFS, the final peak level
#   codec    "-", or gsm: a GSM 06.10 round trip after the mix (unseen splits)
# BABBLE_OUT gets the babble talkers' lines, "talker engine voice rate pitch
# level spoken" (TAB-separated; level in dB): six seen voices (one of them
# flite kal16 when flite is used), each reading train sentences for about
# BABBLE_SECONDS.
# Plain POSIX awk; the random numbers come from MINSTD (exact in doubles),
# so any awk gives the same plan.

function die(message) {
  print "plan_corpus.awk: " message > "/dev/stderr"
  failed = 1
  exit 1
}
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

# A name's hash (polynomial over its bytes); fixes the held-out espeak-ng
# combinations by name alone, whatever else the corpus holds.
function name_hash(s,   h, i) {
  h = 0
  for (i = 1; i <= length(s); i++) h = (h * 31 + ORD[substr(s, i, 1)]) % 1000003
  return h
}

# Seconds of espeak-ng audio for a transcript at a rate (words per minute)
# and a word gap (10 ms units); a least-squares fit to 1499 utterances of
# espeak-ng 1.51 (11% standard error per utterance; totals of an hour came
# out within 2% of the target). The other voices: espeak-ng's length at 175
# words per minute times the voice's factor (VOICE_LENGTH, fit to 60 to 150
# utterances each; totals within 2%) and the duration stretch. Speed and
# tempo effects divide it.
function estimate_seconds(engine, voice, text, rate, gap, factor,   words) {
  if (engine == "espeak")
    return (0.344 + 0.0552 * length(text) * 175 / rate + 0.0131 * gap * split(text, words, " ")) / factor
  return (0.344 + 0.0552 * length(text)) * VOICE_LENGTH[engine, voice] * rate / factor
}

# The voice of the next utterance, into ENGINE, VOICE, SPEAKER, RATE, PITCH
# and GAP; POOL is "seen" or "unseen".
function draw_voice(pool,   r, i, e, list, pair, parts) {
  r = uniform() * SHARE_SUM[pool]
  e = ""
  for (i = 1; i <= NUM_ENGINES; i++) {
    if (!((pool, ENGINE_NAME[i]) in USABLE)) continue
    e = ENGINE_NAME[i]
    if (r < ENGINE_SHARE[i]) break
    r -= ENGINE_SHARE[i]
  }
  ENGINE = e
  if (e == "espeak") {
    # 40% female voices, though espeak-ng has fewer female variants than male.
    if (COUNT[pool, "espeak", "m"] == 0 || (COUNT[pool, "espeak", "f"] > 0 && uniform() < 0.4))
      list = "f"
    else
      list = "m"
    pair = VOICES[pool, "espeak", list, uniform_int(1, COUNT[pool, "espeak", list])]
    split(pair, parts, "+")
    VOICE = pair
    SPEAKER = parts[1] "_" parts[2]
    RATE = uniform_int(120, 220)
    PITCH = uniform_int(15, 85)
    GAP = uniform() < 0.7 ? 0 : uniform_int(1, 4)
    return
  }
  VOICE = VOICES[pool, e, "any", uniform_int(1, COUNT[pool, e, "any"])]
  SPEAKER = e "-" VOICE_SPEAKER[e, VOICE]
  RATE = sprintf("%.2f", uniform_real(0.8, 1.3))
  # The voice's own mean F0 moved by -4 to +5 semitones, or a shift of up to
  # 4 semitones after synthesis for the voices without an F0 target.
  if (VOICE_F0[e, VOICE] > 0)
    PITCH = int(VOICE_F0[e, VOICE] * exp(uniform_real(-4, 5) / 12 * log(2)) + 0.5)
  else
    PITCH = sprintf("%+dc", uniform_int(-400, 400))
  GAP = "-"
}

function plan_utterance(part, index_in_split, s, pool,   fx, factor, r, bands, b, noise, snr, \
                        offset, peak, codec, x) {
  draw_voice(pool)
  fx = ""
  factor = 1
  # EFFECTS_SHARE < 1 spares some utterances every effect.
  if (EFFECTS_SHARE >= 1 || uniform() < EFFECTS_SHARE) {
    # Resampling speed changes tempo and formants together: another vocal
    # tract length on top of the voice's.
    if (uniform() < 0.2) {
      x = sprintf("%.3f", uniform_real(0.9, 1.1))
      fx = fx " speed " x
      factor *= x
    }
    # Time stretch without a change of pitch: faster and slower talkers.
    if (uniform() < 0.3) {
      x = sprintf("%.3f", uniform_real(0.85, 1.15))
      fx = fx " tempo -s " x
      factor *= x
    }
    # A room: reverberance %, HF damping %, room scale %, stereo depth %
    # (mono: no effect), pre-delay ms, wet gain dB.
    if (uniform() < 0.3)
      fx = fx " reverb " uniform_int(10, 80) " " uniform_int(20, 90) " " uniform_int(20, 100) \
           " 100 " uniform_int(0, 40) " " uniform_int(-6, 2)
    # A microphone's colour: 1-3 peaking bands (100 Hz-6 kHz, 0.5-2 octaves
    # wide, -10 to +8 dB), sometimes a high-pass (60-300 Hz).
    if (uniform() < 0.4) {
      bands = uniform_int(1, 3)
      for (b = 1; b <= bands; b++) {
        x = uniform_int(-10, 7)
        fx = fx " equalizer " int(100 * exp(uniform() * log(60))) " " \
             sprintf("%.1fo", uniform_real(0.5, 2)) " " (x >= 0 ? x + 1 : x)
      }
      if (uniform() < 0.3) fx = fx " highpass " uniform_int(60, 300)
    }
    # A channel: telephone (300-3400 Hz, 8 kHz), an 8 kHz round trip, or a
    # dull low-pass.
    r = uniform()
    if (r < 0.12) fx = fx " sinc 300-3400 rate 8000"
    else if (r < 0.20) fx = fx " rate 8000"
    else if (r < 0.35) fx = fx " lowpass " uniform_int(3500, 7000)
  }
  sub(/^ /, "", fx)
  if (fx == "") fx = "-"
  # Audible noise on a NOISE_SHARE of the utterances, a faint noise floor on
  # the others: real recordings are never digital silence between words.
  noise = NOISE[uniform_int(1, 4)]
  snr = uniform() < NOISE_SHARE ? uniform_int(5, 25) : uniform_int(40, 60)
  offset = sprintf("%.4f", uniform())
  peak = -uniform_int(1, 20)
  codec = "-"
  if (pool == "unseen" && uniform() < CODEC_SHARE) codec = "gsm"
  printf "%s\t%s-%s-%06d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", part, SPEAKER,
         part, index_in_split, SPEAKER, ENGINE, VOICE, RATE, PITCH, GAP, fx, noise, snr, offset,
         peak, codec, SPOKEN[s], TEXT[s]
  planned_seconds += estimate_seconds(ENGINE, VOICE, TEXT[s], RATE, GAP, factor)
}

# VOICES[pool, engine, list, i]: the voices of a pool ("seen", "unseen"); for
# espeak-ng the lists are "f" and "m" (accent+variant pairs), for the others
# "any". COUNT counts them.
function add_voice(pool, engine, list, voice) {
  VOICES[pool, engine, list, ++COUNT[pool, engine, list]] = voice
}
function add_engine_voices(engine, seen, heldout,   names, k, i) {
  k = split(seen, names, " ")
  for (i = 1; i <= k; i++) {
    if (!((engine, names[i]) in VOICE_LENGTH)) die("no " engine " voice " names[i] " known")
    add_voice("seen", engine, "any", names[i])
  }
  k = split(heldout, names, " ")
  for (i = 1; i <= k; i++) {
    if (!((engine, names[i]) in VOICE_LENGTH)) die("no " engine " voice " names[i] " known")
    add_voice("unseen", engine, "any", names[i])
  }
}
# Per voice of flite and festival: speaker name, mean F0 in Hz of its F0
# target (0: it has none), length relative to espeak-ng at 175 words per
# minute.
function known_voice(engine, voice, speaker, f0, length_factor) {
  VOICE_SPEAKER[engine, voice] = speaker
  VOICE_F0[engine, voice] = f0
  VOICE_LENGTH[engine, voice] = length_factor
}

BEGIN {
  FS = "\t"
  if (EFFECTS_SHARE == "") EFFECTS_SHARE = 1
  if (CODEC_SHARE == "") CODEC_SHARE = 0.2
  if (BABBLE_SECONDS == "") BABBLE_SECONDS = 90
  for (i = 32; i < 127; i++) ORD[sprintf("%c", i)] = i
  split("white pink brown babble", NOISE, " ")
  known_voice("flite", "kal", "kal", 95, 0.97)
  known_voice("flite", "kal16", "kal16", 95, 0.98)
  known_voice("flite", "awb", "awb", 125, 1.06)
  known_voice("flite", "rms", "rms", 0, 1.18)
  known_voice("flite", "slt", "slt", 165, 1.05)
  known_voice("festival", "kal_diphone", "kal", 105, 1.22)
  known_voice("festival", "ked_diphone", "ked", 105, 1.21)
  known_voice("festival", "cmu_us_slt_arctic_hts", "slt", 0, 1.07)

  # espeak-ng: seen and held-out accent+variant pairs.
  num_accents = split(ACCENTS, accent, " ")
  heldout_combos = ""
  for (gender = 1; gender <= 2; gender++) {
    g = gender == 1 ? "f" : "m"
    k = split(gender == 1 ? FEMALE : MALE, variant, " ")
    for (a = 1; a <= num_accents; a++)
      for (v = 1; v <= k; v++) {
        pair = accent[a] "+" variant[v]
        if (name_hash(pair) % 13 == 0) {
          add_voice("unseen", "espeak", g, pair)
          heldout_combos = heldout_combos " " pair
        } else {
          add_voice("seen", "espeak", g, pair)
        }
      }
    k = split(gender == 1 ? HELDOUT_FEMALE : HELDOUT_MALE, variant, " ")
    for (a = 1; a <= num_accents; a++)
      for (v = 1; v <= k; v++) add_voice("unseen", "espeak", g, accent[a] "+" variant[v])
  }
  sub(/^ /, "", heldout_combos)
  if (HELDOUT_OUT != "") {
    print heldout_combos > HELDOUT_OUT
    close(HELDOUT_OUT)
  }
  add_engine_voices("flite", FLITE_VOICES, FLITE_HELDOUT)
  add_engine_voices("festival", FESTIVAL_VOICES, FESTIVAL_HELDOUT)

  # Engines and their shares; an engine is usable in a pool that has its voices.
  num = split(ENGINES, words, " ")
  for (i = 1; i <= num; i++) {
    if (split(words[i], parts, ":") != 2 || parts[2] !~ /^[0-9]*\.?[0-9]+$/)
      die("bad engine share '" words[i] "' (want NAME:SHARE)")
    if (parts[1] != "espeak" && parts[1] != "flite" && parts[1] != "festival")
      die("no engine '" parts[1] "' (have: espeak flite festival)")
    if (parts[2] + 0 == 0) continue
    NUM_ENGINES++
    ENGINE_NAME[NUM_ENGINES] = parts[1]
    ENGINE_SHARE[NUM_ENGINES] = parts[2] + 0
  }
  if (NUM_ENGINES == 0) die("no engine has a share above 0")
  for (i = 1; i <= NUM_ENGINES; i++) {
    e = ENGINE_NAME[i]
    for (p = 1; p <= 2; p++) {
      pool = p == 1 ? "seen" : "unseen"
      have = e == "espeak" ? COUNT[pool, e, "f"] + COUNT[pool, e, "m"] : COUNT[pool, e, "any"]
      if (have > 0) {
        USABLE[pool, e] = 1
        SHARE_SUM[pool] += ENGINE_SHARE[i]
      } else if (pool == "seen") {
        die("no " e " voice left for train, dev and test (see --accents, --variants)")
      }
    }
  }
}
{ n++; SPOKEN[n] = $1; TEXT[n] = $2 }
END {
  if (failed) exit 1
  if (DEV_UNSEEN_UTTS + TEST_UNSEEN_UTTS > 0 && SHARE_SUM["unseen"] == 0)
    die("no held-out voice left for dev_unseen and test_unseen (see --accents, --variants, " \
        "--engines), or make none: --dev-unseen-utts 0 --test-unseen-utts 0")
  held = DEV_UTTS + TEST_UTTS + DEV_UNSEEN_UTTS + TEST_UNSEEN_UTTS
  if (n < held + 1) {
    printf "plan_corpus.awk: %d sentences, too few for %d dev + %d test + %d dev_unseen + " \
           "%d test_unseen + train\n", n, DEV_UTTS, TEST_UTTS, DEV_UNSEEN_UTTS,
           TEST_UNSEEN_UTTS > "/dev/stderr"
    exit 1
  }
  seed_stream(0)  # Fisher-Yates shuffle of the sentences
  for (i = n; i > 1; i--) {
    j = uniform_int(1, i)
    t = SPOKEN[i]; SPOKEN[i] = SPOKEN[j]; SPOKEN[j] = t
    t = TEXT[i]; TEXT[i] = TEXT[j]; TEXT[j] = t
  }
  seed_stream(1)
  for (i = 1; i <= DEV_UTTS; i++) plan_utterance("dev", i, i, "seen")
  seed_stream(2)
  for (i = 1; i <= TEST_UTTS; i++) plan_utterance("test", i, DEV_UTTS + i, "seen")
  seed_stream(4)
  first = DEV_UTTS + TEST_UTTS
  for (i = 1; i <= DEV_UNSEEN_UTTS; i++) plan_utterance("dev_unseen", i, first + i, "unseen")
  seed_stream(5)
  first += DEV_UNSEEN_UTTS
  for (i = 1; i <= TEST_UNSEEN_UTTS; i++) plan_utterance("test_unseen", i, first + i, "unseen")
  seed_stream(3)
  first = held + 1
  planned_seconds = 0
  for (i = 1; TRAIN_UTTS > 0 ? i <= TRAIN_UTTS : planned_seconds < TRAIN_SECONDS; i++)
    plan_utterance("train", i, first + (i - 1) % (n - first + 1), "seen")

  # Babble talkers: seen voices reading train sentences, one of them flite's
  # kal16 (cheap, and another synthesizer's voice) when flite is in use.
  if (BABBLE_OUT == "") exit 0
  seed_stream(6)
  flite_talker = 0
  if (("seen", "flite") in USABLE)
    for (k = 1; k <= COUNT["seen", "flite", "any"]; k++)
      if (VOICES["seen", "flite", "any", k] == "kal16") flite_talker = 1
  talkers = 0
  for (talker = 1; talker <= 6; talker++) {
    if (talker == 6 && flite_talker) {
      e = "flite"; voice = "kal16"; rate = sprintf("%.2f", uniform_real(0.9, 1.1)); pitch = "-"
    } else {
      e = "espeak"
      if (COUNT["seen", e, "m"] == 0 || (COUNT["seen", e, "f"] > 0 && uniform() < 0.4)) list = "f"
      else list = "m"
      if (COUNT["seen", e, list] == 0) continue
      voice = VOICES["seen", e, list, uniform_int(1, COUNT["seen", e, list])]
      rate = uniform_int(140, 200)
      pitch = uniform_int(20, 80)
    }
    talkers++
    level = -uniform_int(0, 6)
    seconds = 0
    while (seconds < BABBLE_SECONDS * 1.2) {
      s = uniform_int(held + 1, n)
      printf "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", talker, e, voice, rate, pitch, level,
             SPOKEN[s] > BABBLE_OUT
      seconds += estimate_seconds(e, voice, TEXT[s], rate, 0, 1)
    }
  }
  if (talkers == 0) die("no seen voice for the babble noise")
  close(BABBLE_OUT)
}
