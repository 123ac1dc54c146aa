#!/usr/bin/env python3
"""Audio of the mini recipe's synthetic corpus: one synthesis job of make_corpus.sh.

  python3 local/synthesize.py --plan PLAN --job J --jobs N --noise-dir DIR \\
      --noise "white:SAMPLES:RMS pink:... brown:... babble:..." --audio-dir DIR --work DIR

Renders the plan lines J, J + N, J + 2N, ... of PLAN (plan_corpus.awk's
format) to AUDIO_DIR/SPLIT/UTT.flac and writes "UTT SAMPLES" lines (16 kHz
samples) to WORK/chunkJ.dur. NOISE_DIR has the noise recordings, COLOUR.s16
(raw 16-bit 16 kHz mono, SAMPLES long, RMS amplitude in millionths as given).
Needs python3 (no modules beyond its standard library), sox, and per engine:
Debian's libespeak-ng1; flite; festival with its voices.

Speech, per engine:
- espeak-ng: its library, libespeak-ng.so.1 through ctypes, loaded and
  initialized once per job (starting the espeak-ng program costs ~10 ms of
  CPU per utterance, much of it listing its ~430 voice files). In one process
  the library carries state from an utterance to the next (the phase of its
  pitch flutter, libc's rand() for its noise sources, and more: pauses,
  lengths and levels change by up to ~0.1 s and a third), so every utterance
  is rendered in a fork() of the initialized process: the state of a fresh
  `espeak-ng -v VOICE -s RATE -p PITCH -g GAP --stdout <<< TEXT`, with the
  calls that program makes (voice by name, else by language as its fallback,
  which e.g. en-gb needs; the parameters; the text with its newline, in
  999-byte pieces as fgets gives them). The samples are exactly the
  program's. A fork costs a fraction of a program start.
- flite: the program, once per utterance (`flite -voice V --setf
  duration_stretch=S [--setf int_f0_target_mean=F0] -t TEXT -o WAV`): it
  starts in ~7 ms (its voices are compiled in), against 10-85 ms of
  synthesis.
- festival: one festival process per job (`festival --pipe`; starting it
  costs ~0.2 s of CPU, loading its lexicon), given a Scheme file per batch
  that renders the batch's festival utterances to WAV files. Each utterance
  selects its voice afresh, which resets the voice's parameters, then sets
  its rate and F0, so none depends on the utterances before it (checked:
  byte-identical to a fresh festival per utterance).
None depends on the others, on the batches or on --jobs.

Then sox runs per batch of 50 utterances, each utterance an effects chain of
its own (`:` between chains): (1) per native sample rate of the batch's
speech (espeak-ng 22.05 kHz; flite kal 8 kHz; flite and festival's diphone
voices 16 kHz; festival's HTS voice 32 kHz), the speech cut per utterance by
`trim`: gain -12 (headroom for the effects), rate 16000, the pitch shift of
the voices without an F0 target (and rate 16000 again: sox's pitch
resamples), the planned effects, rate 16000 (a no-op unless an effect
changed the rate), and `stat`, whose report gives each
utterance's exact length and RMS; (2) that speech, in plan order, beside its
stretches of noise (-M), mixed at the planned SNR, at the planned peak level,
16-bit FLAC, `newfile` between utterances. Each chain starts its effects
afresh, so the audio is that of one sox per utterance. The utterances with a
codec (unseen splits only) then go through it, two sox runs each: to GSM
06.10 at 8 kHz and back to 16 kHz, cut to their length, at their peak level.
"""
import argparse
import ctypes
import gc
import math
import os
import signal
import subprocess
import sys
import wave

PROG = "synthesize.py"
BATCH = 50  # utterances per batch of sox runs
RATE = 16000
# espeak_Synth flags of the espeak-ng program: espeakCHARS_AUTO | espeakPHONEMES | espeakENDPAUSE
SYNTH_FLAGS = 0x0000 | 0x0100 | 0x1000
AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_RATE, ESPEAK_PITCH, ESPEAK_WORDGAP = 1, 3, 7
FGETS_MAX = 1000  # the espeak-ng program reads its input with fgets(text, 1000, stdin)
FESTIVAL_DONE = "verbatim-festival-batch-done"
# Plan columns (0-based), see plan_corpus.awk.
(SPLIT, UTT, SPEAKER, ENGINE, VOICE, SPEAKING_RATE, PITCH, GAP, EFFECTS, NOISE, SNR, OFFSET, PEAK,
 CODEC, SPOKEN, TRANSCRIPT) = range(16)
FIELDS = 16


class Failure(Exception):
    pass


class EspeakVoice(ctypes.Structure):  # espeak_VOICE of speak_lib.h
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p),
                ("identifier", ctypes.c_char_p), ("gender", ctypes.c_ubyte),
                ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte), ("xx1", ctypes.c_ubyte),
                ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


class Espeak:
    """libespeak-ng in synchronous mode, set up as the espeak-ng program sets it up."""

    CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)

    def __init__(self):
        try:
            lib = ctypes.CDLL("libespeak-ng.so.1")
        except OSError as e:
            raise Failure(f"cannot load libespeak-ng.so.1 ({e}); it is in Debian's libespeak-ng1, "
                          "see tools/install_deps.sh")
        self.libc = ctypes.CDLL(None)
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [self.CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(EspeakVoice)]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_ListVoices.restype = ctypes.c_void_p
        self.lib = lib
        self.pieces = []
        self.callback = self.CALLBACK(self._take)  # kept referenced while the library may call it
        self.sample_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
        if self.sample_rate <= 0:
            raise Failure("espeak_Initialize failed (is espeak-ng-data installed?)")
        lib.espeak_SetSynthCallback(self.callback)
        # The voice list, which espeak-ng builds when a voice is first chosen by
        # name, once here rather than in every fork.
        lib.espeak_ListVoices(None)

    def _take(self, wav, num_samples, events):
        if wav and num_samples > 0:
            self.pieces.append(ctypes.string_at(wav, 2 * num_samples))
        return 0

    def speak(self, voice, rate, pitch, gap, text):
        """Samples (16-bit native-endian bytes) of `espeak-ng -v voice -s rate -p pitch -g gap`
        reading text and a newline on its standard input. Call in a fresh fork."""
        lib = self.lib
        self.libc.srand(1)  # as in a new process: rand() feeds the noise sources
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            # The program's fallback, which e.g. en-gb needs (its voice file is "gmw/en").
            selector = EspeakVoice()
            selector.languages = voice.encode()
            if lib.espeak_SetVoiceByProperties(ctypes.byref(selector)) != 0:
                raise Failure(f"espeak-ng has no voice {voice}")
        lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
        lib.espeak_SetParameter(ESPEAK_PITCH, pitch, 0)
        lib.espeak_SetParameter(ESPEAK_WORDGAP, gap, 0)
        data = (text + "\n").encode("utf-8", "surrogateescape")  # the plan's bytes
        self.pieces = []
        for i in range(0, len(data), FGETS_MAX - 1):
            status = lib.espeak_Synth(data[i:i + FGETS_MAX - 1], FGETS_MAX, 0, POS_CHARACTER, 0,
                                      SYNTH_FLAGS, None, None)
            if status != 0:
                raise Failure(f"espeak_Synth failed ({status})")
        status = lib.espeak_Synchronize()
        if status != 0:
            raise Failure(f"espeak_Synchronize failed ({status})")
        return b"".join(self.pieces)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read_wav(path, utt, engine):
    """(sample rate, 16-bit mono samples as bytes) of a WAV file that a synthesizer wrote."""
    try:
        with wave.open(path, "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise Failure(f"{utt}: {engine} wrote {w.getnchannels()} channels of "
                              f"{8 * w.getsampwidth()} bits, not 16-bit mono")
            return w.getframerate(), w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as e:
        raise Failure(f"{utt}: no audio from {engine} ({e})")


def scheme_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_stats(report):
    """(samples, RMS in millionths) per `stat` report in sox's stderr, in order."""
    stats, samples = [], None
    for line in report.splitlines():
        words = line.split()
        if words[:2] == ["Samples", "read:"] and len(words) > 2 and words[2].isdigit():
            samples = int(words[2])
        elif words[:2] == ["RMS", "amplitude:"] and len(words) > 2 and samples is not None:
            whole, _, frac = words[2].partition(".")
            rms = int(whole) * 1000000 + int((frac[:6] + "000000")[:6]) if whole.isdigit() else 0
            stats.append((samples, rms))
            samples = None
    return stats


class Job:
    def __init__(self, args):
        self.args = args
        self.espeak = Espeak()
        self.noise_fd, self.noise_samples, self.noise_rms = {}, {}, {}
        for item in args.noise.split():
            colour, samples, rms = item.split(":")
            self.noise_fd[colour] = os.open(os.path.join(args.noise_dir, colour + ".s16"), os.O_RDONLY)
            self.noise_samples[colour] = int(samples)
            self.noise_rms[colour] = int(rms)
        # 10^(-SNR/20) in units of 1e-9, SNR 0-99 dB: the noise factor from
        # integers alone (speech and noise RMS in millionths).
        self.snr_factor = [int(math.exp(-s / 20 * math.log(10)) * 1e9 + 0.5) for s in range(100)]
        work = args.work
        self.prefix = os.path.join(work, f"job{args.job}")
        self.speech16 = self.prefix + ".f32"
        self.noises = self.prefix + "-noise.s16"
        self.outs = self.prefix + "-out"
        os.makedirs(self.outs, exist_ok=True)
        self.proc = None  # the running sox or flite, stopped on SIGTERM
        self.festival = None  # the job's festival, while it runs
        self.festival_log = []
        self.child = 0  # the running espeak-ng fork

    def run(self):
        args = self.args
        with open(args.plan, encoding="utf-8", errors="surrogateescape") as f:
            mine = [line.rstrip("\n").split("\t") for i, line in enumerate(f)
                    if i % args.jobs == args.job]
        for fields in mine:
            if len(fields) != FIELDS:
                raise Failure(f"bad plan line: {' '.join(fields)}")
        gc.collect()
        gc.freeze()  # fewer pages for the forks to copy
        try:
            with open(os.path.join(args.work, f"chunk{args.job}.dur"), "w") as durations:
                for start in range(0, len(mine), BATCH):
                    for utt, samples in self.batch(mine[start:start + BATCH]):
                        durations.write(f"{utt} {samples}\n")
        finally:
            self.stop_festival()

    # --- synthesizers --------------------------------------------------------

    def speak_espeak(self, fields, fd):
        """Appends the utterance's 22.05 kHz samples to fd, in a fork; their number."""
        utt, voice, rate, pitch, gap, spoken = (fields[UTT], fields[VOICE], fields[SPEAKING_RATE],
                                                fields[PITCH], fields[GAP], fields[SPOKEN])
        size = os.fstat(fd).st_size
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the fork (SIGTERM and SIGINT end it through stop()): speak, write, leave
            status = 1
            try:
                write_all(fd, self.espeak.speak(voice, int(rate), int(pitch), int(gap), spoken))
                status = 0
            except Failure as e:
                print(f"{PROG}: {utt}: {e}", file=sys.stderr)
            except BaseException as e:
                print(f"{PROG}: {utt}: espeak-ng failed: {e!r}", file=sys.stderr)
            finally:
                sys.stderr.flush()
                os._exit(status)  # no clean-up of Python's: the parent's
        self.child = pid
        _, status = os.waitpid(pid, 0)
        self.child = 0
        if status != 0:
            if os.WIFSIGNALED(status):
                raise Failure(f"{utt}: espeak-ng (its library) died of signal {os.WTERMSIG(status)}")
            raise Failure(f"{utt}: espeak-ng failed")
        samples = (os.fstat(fd).st_size - size) // 2
        if samples <= 0:
            raise Failure(f"{utt}: no audio from espeak-ng")
        return samples

    def speak_flite(self, fields):
        """(sample rate, samples) of the flite program."""
        utt, pitch = fields[UTT], fields[PITCH]
        wav = self.prefix + "-flite.wav"
        argv = ["flite", "-voice", fields[VOICE], "--setf", f"duration_stretch={fields[SPEAKING_RATE]}"]
        if not pitch.endswith("c"):
            argv += ["--setf", f"int_f0_target_mean={pitch}"]
        argv += ["-t", fields[SPOKEN], "-o", wav]
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE)
        except OSError as e:
            raise Failure(f"cannot run flite ({e}); see tools/install_deps.sh")
        _, report = self.proc.communicate()
        status = self.proc.returncode
        self.proc = None
        if status != 0:
            sys.stderr.write(report.decode(errors="replace"))
            raise Failure(f"{utt}: flite failed (status {status})")
        result = read_wav(wav, utt, "flite")
        os.unlink(wav)
        return result

    def start_festival(self):
        try:
            self.festival = subprocess.Popen(["festival", "--pipe"], stdin=subprocess.PIPE,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as e:
            raise Failure(f"cannot run festival ({e}); see tools/install_deps.sh")

    def stop_festival(self):
        if self.festival is None:
            return
        try:
            self.festival.stdin.close()
            self.festival.stderr.close()
        except OSError:
            pass
        self.festival.wait()
        self.festival = None

    def speak_festival(self, lines):
        """[(sample rate, samples)] of festival's utterances of the batch, in one Scheme file."""
        if self.festival is None:
            self.start_festival()
        script, wavs = [], []
        for i, fields in enumerate(lines):
            voice, stretch, pitch = fields[VOICE], fields[SPEAKING_RATE], fields[PITCH]
            wav = f"{self.prefix}-festival{i:03d}.wav"
            wavs.append(wav)
            if os.path.exists(wav):
                os.unlink(wav)
            # Selecting the voice resets what its voice file sets (rate, F0
            # targets, HTS parameters); a diphone voice keeps a Duration_Stretch
            # that another voice left, hence the reset before.
            script.append("(Parameter.set 'Duration_Stretch 1)")
            script.append(f"(voice_{voice})")
            if voice.endswith("_hts"):
                # HTS ignores Duration_Stretch; its engine's -r is a speed factor.
                script.append(f"(set! hts_engine_params (append hts_engine_params "
                              f"(list (list \"-r\" {1 / float(stretch):.4f}))))")
            else:
                script.append(f"(Parameter.set 'Duration_Stretch "
                              f"(* {stretch} (Parameter.get 'Duration_Stretch)))")
            if not pitch.endswith("c"):
                # The first target_f0_mean of the list is the one used.
                script.append(f"(set! int_lr_params (cons (list 'target_f0_mean {pitch}) int_lr_params))")
            script.append(f"(utt.save.wave (utt.synth (Utterance Text {scheme_string(fields[SPOKEN])})) "
                          f"{scheme_string(wav)} 'riff)")
        path = self.prefix + "-festival.scm"
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join(script) + "\n")
        # festival reports on stderr (unbuffered): the line after the script
        # tells that the batch is done, its errors come before.
        log, line = [], b""
        try:
            self.festival.stdin.write(f'(load {scheme_string(path)})\n'
                                      f'(format stderr "{FESTIVAL_DONE}\\n")\n'.encode())
            self.festival.stdin.flush()
            while True:
                line = self.festival.stderr.readline()
                if not line or line.strip() == FESTIVAL_DONE.encode():
                    break
                log.append(line.decode(errors="replace"))
        except OSError as e:
            log.append(f"{e}\n")
        if not line:
            sys.stderr.write("".join(log))
            raise Failure(f"festival stopped (status {self.festival.poll()}) in the batch of "
                          f"{lines[0][UTT]}")
        results = []
        for fields, wav in zip(lines, wavs):
            if not os.path.exists(wav):
                sys.stderr.write("".join(log))
            results.append(read_wav(wav, fields[UTT], "festival"))
            os.unlink(wav)
        return results

    # --- sox -------------------------------------------------------------------

    def run_sox(self, argv):
        """sox's status and its standard error."""
        self.proc = subprocess.Popen(["sox", "-R", "-D"] + argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, report = self.proc.communicate()
        status = self.proc.returncode
        self.proc = None
        return status, report.decode(errors="replace")

    def sox_chains(self, inputs, output, chains, utts, lengths, what, newfile=False):
        """One sox: an effects chain per utterance (each starting with trim 0 LENGTHs); sox's
        standard error. When sox fails, each chain alone finds the utterance to blame."""
        argv = inputs + output
        for i, chain in enumerate(chains):
            if i:
                argv += [":", "newfile", ":"] if newfile else [":"]
            argv += chain
        status, report = self.run_sox(argv)
        if status == 0:
            return report
        start = 0
        for utt, chain, length in zip(utts, chains, lengths):
            one_status, one_report = self.run_sox(inputs + ["-n", "trim", f"{start}s"] + chain[2:])
            if one_status != 0:
                sys.stderr.write(one_report)
                raise Failure(f"{utt}: {what} failed (sox status {one_status})")
            start += length
        sys.stderr.write(report)
        raise Failure(f"{what} of {utts[0]} to {utts[-1]} ({len(utts)} utterances) failed "
                      f"(sox status {status})")

    def effects(self, group, rate, utts, lines, lengths):
        """sox 1 for the utterances of one native rate: [(16 kHz samples, RMS)], their f32
        samples in the file of the group."""
        chains = []
        for fields, length in zip(lines, lengths):
            chain = ["trim", "0", f"{length}s", "gain", "-12", "rate", str(RATE)]
            if fields[PITCH].endswith("c"):
                # sox's pitch resamples: back to 16 kHz before effects that
                # check their frequencies against the rate (lowpass).
                chain += ["pitch", str(int(fields[PITCH][:-1])), "rate", str(RATE)]
            if fields[EFFECTS] != "-":
                chain += fields[EFFECTS].split()
            chains.append(chain + ["rate", str(RATE), "channels", "1", "stat"])
        report = self.sox_chains(["-t", "s16", "-r", str(rate), "-c", "1", group + ".s16"],
                                 ["-t", "f32", "-r", str(RATE), "-c", "1", group + ".f32"],
                                 chains, utts, lengths, "effects")
        stats = parse_stats(report)
        if len(stats) != len(lines):
            sys.stderr.write(report)
            raise Failure(f"effects of {utts[0]} to {utts[-1]}: {len(stats)} level reports from sox, "
                          f"not {len(lines)}")
        return stats

    def batch(self, batch):
        """Renders the plan lines of one batch; [(utt, 16 kHz samples)]."""
        utts = [fields[UTT] for fields in batch]
        # Speech, into one raw file per native sample rate ("group"), in the
        # batch's order within each.
        groups = {}  # rate -> [batch index]
        lengths = [0] * len(batch)
        fds = {}

        def group_fd(rate):
            if rate not in fds:
                fds[rate] = os.open(f"{self.prefix}-{rate}.s16",
                                    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
                groups[rate] = []
            return fds[rate]

        try:
            festival = [i for i, fields in enumerate(batch) if fields[ENGINE] == "festival"]
            spoken = {}
            if festival:
                for i, result in zip(festival, self.speak_festival([batch[i] for i in festival])):
                    spoken[i] = result
            for i, fields in enumerate(batch):
                engine = fields[ENGINE]
                if engine == "espeak":
                    rate = self.espeak.sample_rate
                    lengths[i] = self.speak_espeak(fields, group_fd(rate))
                else:
                    if engine == "flite":
                        rate, samples = self.speak_flite(fields)
                    elif engine == "festival":
                        rate, samples = spoken.pop(i)
                    else:
                        raise Failure(f"{fields[UTT]}: no engine '{engine}'")
                    lengths[i] = len(samples) // 2
                    if lengths[i] <= 0:
                        raise Failure(f"{fields[UTT]}: no audio from {engine}")
                    write_all(group_fd(rate), samples)
                groups[rate].append(i)
        finally:
            for fd in fds.values():
                os.close(fd)
        # sox 1 per group: effects and 16 kHz, `stat` for the length and RMS;
        # then the 16 kHz speech of the whole batch in its order.
        stats = [None] * len(batch)
        pieces = [None] * len(batch)
        for rate, members in sorted(groups.items()):
            group = f"{self.prefix}-{rate}"
            for i, stat in zip(members, self.effects(group, rate, [utts[i] for i in members],
                                                     [batch[i] for i in members],
                                                     [lengths[i] for i in members])):
                stats[i] = stat
            with open(group + ".f32", "rb") as f:
                for i in members:
                    pieces[i] = f.read(4 * stats[i][0])
                    if len(pieces[i]) != 4 * stats[i][0]:
                        raise Failure(f"{utts[i]}: short audio from the effects")
        with open(self.speech16, "wb") as f:
            for piece in pieces:
                f.write(piece)
        del pieces
        # Noise: a stretch of the planned colour from the planned place, at SNR
        # dB under the speech RMS (whole utterance).
        chains, flacs = [], []
        with open(self.noises, "wb") as noises:
            for fields, (samples, rms) in zip(batch, stats):
                utt, colour, snr, offset, peak = (fields[UTT], fields[NOISE], int(fields[SNR]),
                                                  fields[OFFSET], fields[PEAK])
                if samples <= 0 or rms <= 0:
                    raise Failure(f"{utt}: no usable audio from {fields[ENGINE]}")
                if colour not in self.noise_fd:
                    raise Failure(f"{utt}: no {colour} noise")
                if samples > self.noise_samples[colour]:
                    raise Failure(f"{utt}: longer than the {colour} noise recording")
                start = (self.noise_samples[colour] - samples) * int(offset.replace(".", "")) // 10000
                noise = os.pread(self.noise_fd[colour], 2 * samples, 2 * start)
                if len(noise) != 2 * samples:
                    raise Failure(f"{utt}: reading the noise failed")
                noises.write(noise)
                factor = rms * self.snr_factor[snr] // self.noise_rms[colour]
                chains.append(["trim", "0", f"{samples}s", "remix", "-m",
                               f"1v1,2v{factor // 1000000000}.{factor % 1000000000:09d}", "gain", "-n", peak])
                flacs.append(os.path.join(self.args.audio_dir, fields[SPLIT], utt + ".flac"))
        # sox 2: speech and noise side by side, mixed, peak level, FLAC; a file
        # per chain (OUTS/00001.flac, ...), renamed.
        out = os.path.join(self.outs, "%5n.flac") if len(batch) > 1 else flacs[0]
        self.sox_chains(["-M", "-t", "f32", "-r", str(RATE), "-c", "1", self.speech16,
                         "-t", "s16", "-r", str(RATE), "-c", "1", self.noises],
                        ["-b", "16", out], chains, utts, [samples for samples, _ in stats], "mixing",
                        newfile=True)
        for i, (utt, flac) in enumerate(zip(utts, flacs)):
            if len(batch) > 1:
                try:
                    os.rename(os.path.join(self.outs, f"{i + 1:05d}.flac"), flac)
                except OSError:
                    raise Failure(f"{utt}: no audio from the mixing")
            elif not os.path.isfile(flac):
                raise Failure(f"{utt}: no audio from the mixing")
        for fields, flac, (samples, _) in zip(batch, flacs, stats):
            if fields[CODEC] != "-":
                self.codec(fields, flac, samples)
        return [(utt, samples) for utt, (samples, _) in zip(utts, stats)]

    def codec(self, fields, flac, samples):
        """The FLAC through the planned codec and back, same length, planned peak level."""
        utt, codec = fields[UTT], fields[CODEC]
        if codec != "gsm":
            raise Failure(f"{utt}: no codec '{codec}'")
        coded = self.prefix + ".gsm"
        back = self.prefix + "-codec.flac"
        status, report = self.run_sox([flac, "-t", "gsm", "-r", "8000", "-c", "1", coded, "rate", "8000"])
        if status == 0:
            # GSM frames are 160 samples: pad, then cut back to the length.
            status, report = self.run_sox(["-t", "gsm", coded, "-b", "16", back, "rate", str(RATE),
                                           "pad", "0", "320s", "trim", "0", f"{samples}s",
                                           "gain", "-n", fields[PEAK]])
        if status != 0:
            sys.stderr.write(report)
            raise Failure(f"{utt}: the {codec} round trip failed (sox status {status})")
        os.rename(back, flac)

    def stop(self, signum, frame):
        """SIGTERM, SIGINT: stop what runs and leave (make_corpus.sh removes the files)."""
        for proc in (self.proc, self.festival):
            if proc is not None:
                proc.kill()
        if self.child:
            try:
                os.kill(self.child, signal.SIGKILL)
            except OSError:
                pass
        os._exit(128 + signum)


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--job", type=int, required=True)
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--noise-dir", required=True)
    parser.add_argument("--noise", required=True,
                        help='"COLOUR:SAMPLES:RMS ...", RMS in millionths')
    parser.add_argument("--audio-dir", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    try:
        job = Job(args)
        signal.signal(signal.SIGTERM, job.stop)
        signal.signal(signal.SIGINT, job.stop)
        job.run()
    except Failure as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
