#!/usr/bin/env python3
"""Audio of the mini recipe's synthetic corpus: one synthesis job of make_corpus.sh.

  python3 local/synthesize.py --plan PLAN --job J --jobs N --noise-dir DIR \\
      --noise-samples S --noise-rms "WHITE PINK BROWN" --audio-dir DIR --work DIR

Renders the plan lines J, J + N, J + 2N, ... of PLAN (plan_corpus.awk's
format) to AUDIO_DIR/SPLIT/UTT.flac and writes "UTT SAMPLES" lines (16 kHz
samples) to WORK/chunkJ.dur. NOISE_DIR has the noise recordings, white.s16,
pink.s16 and brown.s16 (raw 16-bit 16 kHz mono, S samples each, RMS amplitudes
in millionths as given). Needs python3 (no modules beyond its standard
library), Debian's libespeak-ng1 and sox.

Speech: espeak-ng's library, libespeak-ng.so.1 through ctypes, loaded and
initialized once per job (starting the espeak-ng program costs ~10 ms of CPU
per utterance, much of it listing its ~430 voice files). In one process the
library carries state from an utterance to the next (the phase of its pitch
flutter, libc's rand() for its noise sources, and more: pauses, lengths and
levels change by up to ~0.1 s and a third), so every utterance is rendered in
a fork() of the initialized process: the state of a fresh
`espeak-ng -v VOICE -s RATE -p PITCH -g GAP --stdout <<< TEXT`, with the calls
that program makes (voice by name, else by language as its fallback, which
e.g. en-gb needs; the parameters; the text with its newline, in 999-byte
pieces as fgets gives them). The samples are exactly the program's, and no
utterance depends on the others, on the batches or on --jobs. A fork costs a
fraction of a program start (no exec, dynamic linking or voice list).

Then sox runs twice per batch of 50 utterances, each utterance an effects
chain of its own (`:` between chains): (1) the batch's 22.05 kHz speech, cut
per utterance by `trim`: gain -6, the planned effects, rate 16000, channels 1
and `stat`, whose report gives each utterance's exact length and RMS; (2) that
speech beside its stretches of noise (-M), mixed at the planned SNR, at the
planned peak level, 16-bit FLAC, `newfile` between utterances. Each chain
starts its effects afresh, so the audio is that of one sox per utterance.
"""
import argparse
import ctypes
import gc
import math
import os
import signal
import subprocess
import sys

PROG = "synthesize.py"
BATCH = 50  # utterances per pair of sox runs
RATE = 16000
# espeak_Synth flags of the espeak-ng program: espeakCHARS_AUTO | espeakPHONEMES | espeakENDPAUSE
SYNTH_FLAGS = 0x0000 | 0x0100 | 0x1000
AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_RATE, ESPEAK_PITCH, ESPEAK_WORDGAP = 1, 3, 7
FGETS_MAX = 1000  # the espeak-ng program reads its input with fgets(text, 1000, stdin)


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
        self.noise_samples = args.noise_samples
        self.noise_fd, self.noise_rms = {}, {}
        for colour, rms in zip(("white", "pink", "brown"), args.noise_rms.split()):
            self.noise_fd[colour] = os.open(os.path.join(args.noise_dir, colour + ".s16"), os.O_RDONLY)
            self.noise_rms[colour] = int(rms)
        # 10^(-SNR/20) in units of 1e-9, SNR 0-99 dB: the noise factor from
        # integers alone (speech and noise RMS in millionths).
        self.snr_factor = [int(math.exp(-s / 20 * math.log(10)) * 1e9 + 0.5) for s in range(100)]
        work = args.work
        self.speech22 = os.path.join(work, f"speech{args.job}.s16")
        self.speech16 = os.path.join(work, f"speech{args.job}.f32")
        self.noises = os.path.join(work, f"noise{args.job}.s16")
        self.outs = os.path.join(work, f"out{args.job}")
        os.makedirs(self.outs, exist_ok=True)
        self.sox = None  # the running sox, stopped on SIGTERM
        self.child = 0  # the running synthesis fork

    def run(self):
        args = self.args
        with open(args.plan, encoding="utf-8", errors="surrogateescape") as f:
            mine = [line.rstrip("\n").split("\t") for i, line in enumerate(f)
                    if i % args.jobs == args.job]
        for fields in mine:
            if len(fields) < 14:
                raise Failure(f"bad plan line: {' '.join(fields)}")
        gc.collect()
        gc.freeze()  # fewer pages for the forks to copy
        with open(os.path.join(args.work, f"chunk{args.job}.dur"), "w") as durations:
            for start in range(0, len(mine), BATCH):
                for utt, samples in self.batch(mine[start:start + BATCH]):
                    durations.write(f"{utt} {samples}\n")

    def speak(self, fields, fd):
        """Appends the utterance's 22.05 kHz samples to fd, in a fork; their number."""
        utt, voice, rate, pitch, gap, spoken = fields[1], fields[3], fields[4], fields[5], fields[6], fields[12]
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

    def run_sox(self, argv):
        """sox's status and its standard error."""
        self.sox = subprocess.Popen(["sox", "-R", "-D"] + argv, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, report = self.sox.communicate()
        status = self.sox.returncode
        self.sox = None
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

    def batch(self, batch):
        """Renders the plan lines of one batch; [(utt, 16 kHz samples)]."""
        utts = [fields[1] for fields in batch]
        # espeak-ng, one fork per utterance, all into one raw file.
        fd = os.open(self.speech22, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        try:
            lengths = [self.speak(fields, fd) for fields in batch]
        finally:
            os.close(fd)
        # sox 1: effects and 16 kHz, `stat` for the length and RMS.
        chains = []
        for fields, length in zip(batch, lengths):
            fx = fields[7].split() if fields[7] != "-" else []
            chains.append(["trim", "0", f"{length}s", "gain", "-6"] + fx +
                          ["rate", str(RATE), "channels", "1", "stat"])
        report = self.sox_chains(["-t", "s16", "-r", str(self.espeak.sample_rate), "-c", "1", self.speech22],
                                 ["-t", "f32", "-r", str(RATE), "-c", "1", self.speech16],
                                 chains, utts, lengths, "effects")
        stats = parse_stats(report)
        if len(stats) != len(batch):
            sys.stderr.write(report)
            raise Failure(f"effects of {utts[0]} to {utts[-1]}: {len(stats)} level reports from sox, "
                          f"not {len(batch)}")
        # Noise: a stretch of the planned colour from the planned place, at SNR
        # dB under the speech RMS (whole utterance).
        chains, flacs = [], []
        with open(self.noises, "wb") as noises:
            for fields, (samples, rms) in zip(batch, stats):
                utt, colour, snr, offset, peak = fields[1], fields[8], int(fields[9]), fields[10], fields[11]
                if samples <= 0 or rms <= 0:
                    raise Failure(f"{utt}: no usable audio from espeak-ng")
                if samples > self.noise_samples:
                    raise Failure(f"{utt}: longer than the noise recordings")
                start = (self.noise_samples - samples) * int(offset.replace(".", "")) // 10000
                noise = os.pread(self.noise_fd[colour], 2 * samples, 2 * start)
                if len(noise) != 2 * samples:
                    raise Failure(f"{utt}: reading the noise failed")
                noises.write(noise)
                factor = rms * self.snr_factor[snr] // self.noise_rms[colour]
                chains.append(["trim", "0", f"{samples}s", "remix", "-m",
                               f"1v1,2v{factor // 1000000000}.{factor % 1000000000:09d}", "gain", "-n", peak])
                flacs.append(os.path.join(self.args.audio_dir, fields[0], utt + ".flac"))
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
        return [(utt, samples) for utt, (samples, _) in zip(utts, stats)]

    def stop(self, signum, frame):
        """SIGTERM, SIGINT: stop what runs and leave (make_corpus.sh removes the files)."""
        if self.sox is not None:
            self.sox.kill()
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
    parser.add_argument("--noise-samples", type=int, required=True)
    parser.add_argument("--noise-rms", required=True, help='"WHITE PINK BROWN", RMS in millionths')
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
