#!/usr/bin/python3
"""Peer of bench/fbank_bench: torchaudio.compliance.kaldi.fbank on the same files.

Times the feature computation only (audio decoded beforehand), one thread,
float32, dither 0, 80 bins; the best of `repeat` passes.
Usage: fbank_torchaudio.py FILE_LIST REPEAT
"""
import sys
import time

import torch
import torchaudio

torch.set_num_threads(1)
paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
waves = []
for p in paths:
    w, sr = torchaudio.load(p)
    assert sr == 16000, p
    waves.append(w * 32768.0)
best = float("inf")
for _ in range(repeat):
    start = time.perf_counter()
    for w in waves:
        torchaudio.compliance.kaldi.fbank(w, num_mel_bins=80, dither=0.0)
    best = min(best, time.perf_counter() - start)
print(f"torchaudio compute seconds: {best:.3f}")
