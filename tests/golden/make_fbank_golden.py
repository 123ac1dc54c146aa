#!/usr/bin/python3
# Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
"""Writes the golden files for tests/frontend/fbank_golden_test.cc.

Run from anywhere with Debian's Python (torch 1.13, torchaudio 0.13):
    /usr/bin/python3 tests/golden/make_fbank_golden.py

Outputs, next to this script:
  fbank_input_16k.wav, fbank_input_8k.wav, fbank_input_11k.wav
      Synthetic 16-bit PCM test signals (chirp + two tones + seeded noise,
      with a stretch of digital silence and one of +-1 LSB noise so that the
      energy floor and the epsilon floor of the log are reached).
  fbank_torchaudio.ark.txt
      torchaudio.compliance.kaldi.fbank of each configuration, computed in
      float64 from the integer samples with dither 0, as a Kaldi text archive.
  fbank_configs.txt
      One line per configuration: `name wav=FILE option=value ...`, every
      Kaldi fbank option spelled as compute-fbank-feats spells it.

torchaudio 0.13 quirks handled here:
  * its energy_floor defaults to 1.0 (Kaldi: 0.0) and dither to 0.0 (Kaldi:
    1.0), so every option is passed explicitly;
  * it has no "sine" window and no --htk-mode, so those are not covered;
  * it (like Kaldi, see MelBanks and RealFft) rejects odd FFT lengths, i.e.
    round-to-power-of-two=false with an odd frame length. For that one case
    (sr11025_nopow2_odd, 275-sample frames) the reference is assembled from
    torchaudio's own pieces instead: its _get_window (framing, DC removal,
    pre-emphasis, window, energy), torch.fft.rfft, and Kaldi's triangular mel
    filters over every FFT bin below Nyquist (mel_scale from torchaudio).
  * Kaldi's options are floats (BaseFloat); they are rounded to float32
    before being handed to torchaudio, so that e.g. the frame length in
    samples is truncated from the same value.
"""

import math
import os
import wave

import numpy as np
import torch
from torchaudio.compliance import kaldi

HERE = os.path.dirname(os.path.abspath(__file__))

# Kaldi's defaults for compute-fbank-feats, except dither (0: the golden
# files must be deterministic).
KALDI_DEFAULTS = {
    "sample-frequency": 16000.0,
    "frame-length": 25.0,
    "frame-shift": 10.0,
    "dither": 0.0,
    "preemphasis-coefficient": 0.97,
    "remove-dc-offset": True,
    "window-type": "povey",
    "round-to-power-of-two": True,
    "blackman-coeff": 0.42,
    "snip-edges": True,
    "num-mel-bins": 23,
    "low-freq": 20.0,
    "high-freq": 0.0,
    "use-energy": False,
    "energy-floor": 0.0,
    "raw-energy": True,
    "htk-compat": False,
    "use-log-fbank": True,
    "use-power": True,
}

WAVS = {16000: "fbank_input_16k.wav", 8000: "fbank_input_8k.wav", 11025: "fbank_input_11k.wav"}

# (name, overrides of KALDI_DEFAULTS). 23 bins unless the option is about bins.
CONFIGS = [
    ("default", {}),
    # Window types.
    ("win_hamming", {"window-type": "hamming"}),
    ("win_hanning", {"window-type": "hanning"}),
    ("win_rectangular", {"window-type": "rectangular"}),
    ("win_blackman", {"window-type": "blackman"}),
    ("win_blackman_c038", {"window-type": "blackman", "blackman-coeff": 0.38}),
    # Frame geometry.
    ("len20_shift5", {"frame-length": 20.0, "frame-shift": 5.0}),
    ("len32_shift16", {"frame-length": 32.0, "frame-shift": 16.0}),
    ("nopow2", {"round-to-power-of-two": False}),  # 400-point FFT
    ("nopow2_len30", {"round-to-power-of-two": False, "frame-length": 30.0}),  # 480
    ("nosnip", {"snip-edges": False}),
    ("nosnip_len32_shift16", {"snip-edges": False, "frame-length": 32.0, "frame-shift": 16.0}),
    # Shift longer than the frame: Kaldi's first frame starts inside the signal.
    ("nosnip_len10_shift15", {"snip-edges": False, "frame-length": 10.0, "frame-shift": 15.0}),
    # Signal conditioning.
    ("preemph0", {"preemphasis-coefficient": 0.0}),
    ("preemph05", {"preemphasis-coefficient": 0.5}),
    ("no_dc", {"remove-dc-offset": False}),
    ("no_dc_preemph0_rect", {"remove-dc-offset": False, "preemphasis-coefficient": 0.0,
                             "window-type": "rectangular"}),
    # Mel bins and frequency range.
    ("bins40", {"num-mel-bins": 40}),
    ("bins80", {"num-mel-bins": 80}),
    ("bins128_len50", {"num-mel-bins": 128, "frame-length": 50.0}),  # 1024-point FFT
    ("low0", {"low-freq": 0.0}),
    ("low100", {"low-freq": 100.0}),
    ("low300", {"low-freq": 300.0}),
    ("high6000", {"high-freq": 6000.0}),
    ("high_m400", {"high-freq": -400.0}),
    ("low300_high_m400_bins40", {"low-freq": 300.0, "high-freq": -400.0, "num-mel-bins": 40}),
    # Energy.
    ("energy_raw", {"use-energy": True}),
    ("energy_windowed", {"use-energy": True, "raw-energy": False}),
    ("energy_floor1", {"use-energy": True, "energy-floor": 1.0}),
    ("energy_floor100", {"use-energy": True, "energy-floor": 100.0}),
    ("energy_windowed_floor100", {"use-energy": True, "raw-energy": False,
                                  "energy-floor": 100.0}),
    ("htk_compat", {"use-energy": True, "htk-compat": True}),
    ("htk_compat_no_energy", {"htk-compat": True}),
    # Output scale.
    ("linear", {"use-log-fbank": False}),
    ("magnitude", {"use-power": False}),
    ("linear_magnitude", {"use-log-fbank": False, "use-power": False}),
    # Other sample rates.
    ("sr8000", {"sample-frequency": 8000.0}),  # 200 samples -> 256-point FFT
    ("sr8000_nopow2", {"sample-frequency": 8000.0, "round-to-power-of-two": False}),
    ("sr8000_low100_high3800_bins15", {"sample-frequency": 8000.0, "low-freq": 100.0,
                                       "high-freq": 3800.0, "num-mel-bins": 15}),
    ("sr11025", {"sample-frequency": 11025.0}),  # 275 samples -> 512-point FFT
    ("sr11025_nopow2_odd", {"sample-frequency": 11025.0, "round-to-power-of-two": False}),
    # 11025 * 0.001 * 30.839f is 339.99998 in double (Kaldi: 339 samples) but
    # rounds up to 340 in float arithmetic.
    ("sr11025_len30.839", {"sample-frequency": 11025.0, "frame-length": 30.839}),
    # Combinations.
    ("combo_hamming_nosnip_len20_shift5_bins40_energy_windowed_htk",
     {"window-type": "hamming", "snip-edges": False, "frame-length": 20.0, "frame-shift": 5.0,
      "num-mel-bins": 40, "use-energy": True, "raw-energy": False, "htk-compat": True}),
    ("combo_rect_no_dc_preemph0_magnitude_linear_floor100",
     {"window-type": "rectangular", "remove-dc-offset": False, "preemphasis-coefficient": 0.0,
      "use-power": False, "use-log-fbank": False, "use-energy": True, "energy-floor": 100.0}),
    ("combo_sr8000_blackman_nopow2_low300_high_m400_nosnip_energy_floor1",
     {"sample-frequency": 8000.0, "window-type": "blackman", "round-to-power-of-two": False,
      "low-freq": 300.0, "high-freq": -400.0, "snip-edges": False, "use-energy": True,
      "energy-floor": 1.0}),
    ("combo_hanning_nopow2_len30_shift16_preemph05_bins80_energy_floor100_htk",
     {"window-type": "hanning", "round-to-power-of-two": False, "frame-length": 30.0,
      "frame-shift": 16.0, "preemphasis-coefficient": 0.5, "num-mel-bins": 80,
      "use-energy": True, "energy-floor": 100.0, "htk-compat": True}),
]


def f32(x):
    """Rounds a Python float the way Kaldi stores a BaseFloat option."""
    return float(np.float32(x))


def synthesize(rate, seconds, seed):
    """A chirp, two tones and low-level noise, quantized to int16."""
    n = int(round(rate * seconds))
    t = np.arange(n) / rate
    f0, f1 = 80.0, 0.45 * rate
    # Linear chirp: phase = 2 pi (f0 t + (f1 - f0) t^2 / (2 T)).
    chirp = 6000.0 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    tones = 2500.0 * np.sin(2 * np.pi * 440.0 * t) + 1200.0 * np.sin(2 * np.pi * 0.3 * rate * t + 1.0)
    rng = np.random.default_rng(seed)
    x = chirp + tones + rng.normal(0.0, 4.0, n)
    # Digital silence (every sample 0) for 60 ms, then 60 ms of +-1 LSB noise:
    # frames there have zero or tiny energy.
    a, b, c = int(0.30 * rate), int(0.36 * rate), int(0.42 * rate)
    x[a:b] = 0.0
    x[b:c] = rng.normal(0.0, 0.6, c - b)
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def write_wav(path, samples, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


def torchaudio_kwargs(opts):
    return dict(
        sample_frequency=f32(opts["sample-frequency"]),
        frame_length=f32(opts["frame-length"]),
        frame_shift=f32(opts["frame-shift"]),
        dither=f32(opts["dither"]),
        preemphasis_coefficient=f32(opts["preemphasis-coefficient"]),
        remove_dc_offset=opts["remove-dc-offset"],
        window_type=opts["window-type"],
        round_to_power_of_two=opts["round-to-power-of-two"],
        blackman_coeff=f32(opts["blackman-coeff"]),
        snip_edges=opts["snip-edges"],
        num_mel_bins=opts["num-mel-bins"],
        low_freq=f32(opts["low-freq"]),
        high_freq=f32(opts["high-freq"]),
        use_energy=opts["use-energy"],
        energy_floor=f32(opts["energy-floor"]),
        raw_energy=opts["raw-energy"],
        htk_compat=opts["htk-compat"],
        use_log_fbank=opts["use-log-fbank"],
        use_power=opts["use-power"],
    )


def mel_filters_below_nyquist(num_bins, fft_len, rate, low_freq, high_freq):
    """Kaldi's triangles over FFT bins 0 .. ceil(fft_len / 2) - 1 (those below
    Nyquist), same float32 arithmetic as torchaudio's get_mel_banks. Shape
    (num_bins, fft_len // 2 + 1); the Nyquist column (even lengths) is zero."""
    nyquist = 0.5 * rate
    if high_freq <= 0.0:
        high_freq += nyquist
    mel_low, mel_high = kaldi.mel_scale_scalar(low_freq), kaldi.mel_scale_scalar(high_freq)
    delta = (mel_high - mel_low) / (num_bins + 1)
    b = torch.arange(num_bins).unsqueeze(1)
    left, center, right = mel_low + b * delta, mel_low + (b + 1.0) * delta, mel_low + (b + 2.0) * delta
    mel = kaldi.mel_scale(rate / fft_len * torch.arange((fft_len + 1) // 2)).unsqueeze(0)
    up, down = (mel - left) / (center - left), (right - mel) / (right - center)
    bins = torch.max(torch.zeros(1), torch.min(up, down))
    return torch.nn.functional.pad(bins, (0, fft_len // 2 + 1 - bins.shape[1]))


def fbank_any_length(waveform, kw):
    """torchaudio's fbank pipeline without its even-FFT-length assertion."""
    rate = kw["sample_frequency"]
    shift = int(rate * kw["frame_shift"] * 0.001)
    size = int(rate * kw["frame_length"] * 0.001)
    padded = 2 ** (size - 1).bit_length() if kw["round_to_power_of_two"] else size
    frames, log_energy = kaldi._get_window(
        waveform[0], padded, size, shift, kw["window_type"], kw["blackman_coeff"],
        kw["snip_edges"], kw["raw_energy"], kw["energy_floor"], kw["dither"],
        kw["remove_dc_offset"], kw["preemphasis_coefficient"])
    spectrum = torch.fft.rfft(frames).abs()
    if kw["use_power"]:
        spectrum = spectrum.pow(2.0)
    filters = mel_filters_below_nyquist(kw["num_mel_bins"], padded, rate, kw["low_freq"],
                                        kw["high_freq"]).to(torch.float64)
    mel = spectrum @ filters.T
    if kw["use_log_fbank"]:
        mel = torch.max(mel, kaldi._get_epsilon(mel.device, mel.dtype)).log()
    if kw["use_energy"]:
        e = log_energy.unsqueeze(1)
        mel = torch.cat((mel, e) if kw["htk_compat"] else (e, mel), dim=1)
    return mel


def check_mel_filters(kw):
    """No empty filter (Kaldi would refuse), and our below-Nyquist filters
    equal torchaudio's for even lengths (validates fbank_any_length)."""
    rate = kw["sample_frequency"]
    size = int(rate * kw["frame_length"] * 0.001)
    padded = 2 ** (size - 1).bit_length() if kw["round_to_power_of_two"] else size
    ours = mel_filters_below_nyquist(kw["num_mel_bins"], padded, rate, kw["low_freq"],
                                     kw["high_freq"])
    assert bool((ours.max(dim=1).values > 0).all()), "empty mel filter"
    if padded % 2 == 0:
        theirs, _ = kaldi.get_mel_banks(kw["num_mel_bins"], padded, rate, kw["low_freq"],
                                        kw["high_freq"], 100.0, -500.0, 1.0)
        theirs = torch.nn.functional.pad(theirs, (0, 1))
        assert torch.equal(ours, theirs), "filter construction differs from torchaudio"


def format_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "%g" % v
    return str(v)


def write_matrix(out, name, m):
    out.write("%s  [\n" % name)
    rows = m.tolist()
    for i, row in enumerate(rows):
        out.write("  " + " ".join("%.8g" % v for v in row) + (" ]\n" if i + 1 == len(rows) else "\n"))


def main():
    torch.set_default_dtype(torch.float32)  # torchaudio's filters are float32, as Kaldi's
    signals = {}
    for seed, (rate, seconds) in enumerate([(16000, 0.6), (8000, 0.5), (11025, 0.5)]):
        path = os.path.join(HERE, WAVS[rate])
        write_wav(path, synthesize(rate, seconds, seed + 1), rate)
        samples, read_rate = read_wav(path)
        assert read_rate == rate
        signals[rate] = torch.tensor(samples.astype(np.float64)).unsqueeze(0)

    with open(os.path.join(HERE, "fbank_torchaudio.ark.txt"), "w") as ark, \
            open(os.path.join(HERE, "fbank_configs.txt"), "w") as manifest:
        manifest.write("# name wav=FILE then every compute-fbank-feats option; written by "
                       "make_fbank_golden.py\n")
        names = set()
        for name, overrides in CONFIGS:
            assert name not in names and all(k in KALDI_DEFAULTS for k in overrides), name
            names.add(name)
            opts = dict(KALDI_DEFAULTS, **overrides)
            kw = torchaudio_kwargs(opts)
            rate = int(opts["sample-frequency"])
            check_mel_filters(kw)
            size = int(kw["sample_frequency"] * kw["frame_length"] * 0.001)
            if not kw["round_to_power_of_two"] and size % 2 == 1:
                feats = fbank_any_length(signals[rate], kw)
            else:
                feats = kaldi.fbank(signals[rate], **kw)
                # Self-check of the odd-length path on an even length.
                assert torch.allclose(feats, fbank_any_length(signals[rate], kw), rtol=1e-12,
                                      atol=1e-9)
            assert feats.dtype == torch.float64 and feats.shape[0] > 0
            assert bool(torch.isfinite(feats).all())
            write_matrix(ark, name, feats)
            manifest.write(name + " wav=" + WAVS[rate] + " " +
                           " ".join("%s=%s" % (k, format_value(opts[k])) for k in KALDI_DEFAULTS)
                           + "\n")
            print("%-72s %4d x %3d" % (name, feats.shape[0], feats.shape[1]))


if __name__ == "__main__":
    main()
