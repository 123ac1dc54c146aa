#!/usr/bin/python3
"""Peer of `verbatim train` for bench/train_bench.sh: the same training in Python PyTorch.

The model mirrors asr/model (conv2d subsampling x4 with ReLU then Linear,
sinusoidal positions x * sqrt(D) + PE, pre-LayerNorm encoder and decoder layers
with separate q/k/v/out projections and ReLU feed-forward, LayerNorms in
float32, final LayerNorms, a CTC head, decoder embedding and untied output
layer); the loss mirrors asr/train/losses.cc (0.3 x CTC + 0.7 x label-smoothed
KL, each summed per utterance and averaged over the batch); the step mirrors
asr/train/trainer.cc (Adam 0.9/0.98/1e-9 with the Noam schedule, gradient
clipping at norm 5, token accuracy and loss values read back every step, bf16
autocast around forward, loss and backward). Data loading is part of the timed
loop: a torch DataLoader with one worker process (the C++ loader runs one
worker thread) reads the audio, computes 80-bin Kaldi fbank
(torchaudio.compliance.kaldi.fbank, dither 1 as verbatim's default) and applies
the same global CMVN, 4 batches ahead.

Writes one JSON line per step, {"type":"step","step":S,...,
"audio_seconds_per_second":R}, where R is the audio of the step over the time
from the end of the previous step to the end of this one (as the trainer's
log with log_interval 1).

Usage: train_twin.py --data DIR --tokens FILE --cmvn FILE --vocab 256 --steps 40
                     [--precision fp32|bf16] [--threads 2] [--log FILE]
"""
import argparse
import json
import math
import os
import random
import sys
import time

import torch
import torchaudio
from torch import nn
from torch.nn import functional as F

SOS_EOS = 2
IGNORE = -1


# ---- Model (mirrors asr/model) ---------------------------------------------------------------


def length_mask(lengths, max_length):
    """(N) -> (N, 1, max_length) bool, true on real positions."""
    rng = torch.arange(max_length, dtype=torch.int64, device=lengths.device)
    return (rng.unsqueeze(0) < lengths.to(torch.int64).unsqueeze(1)).unsqueeze(1)


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.heads, self.head_dim = heads, d_model // heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).transpose(1, 2)

    def forward(self, query, key, value, mask):
        keys, values = self.split(self.k(key)), self.split(self.v(value))
        q = self.split(self.q(query))
        scores = torch.matmul(q, keys.transpose(-2, -1)) / math.sqrt(self.head_dim)
        allowed = mask.unsqueeze(1)
        scores = scores.masked_fill(allowed.logical_not(), -1e9)
        attn = torch.softmax(scores, -1).masked_fill(allowed.logical_not(), 0.0)
        context = torch.matmul(self.dropout(attn), values)
        context = context.transpose(1, 2).contiguous().view(
            query.size(0), query.size(1), self.heads * self.head_dim)
        return self.out(context)


class FeedForward(nn.Module):
    def __init__(self, d_model, ffn_dim, dropout):
        super().__init__()
        self.inp = nn.Linear(d_model, ffn_dim)
        self.out = nn.Linear(ffn_dim, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.out(self.dropout(torch.relu(self.inp(x))))


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_positions, dropout):
        super().__init__()
        self.scale = math.sqrt(d_model)
        position = torch.arange(max_positions, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(
            torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_positions, d_model)
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)[:, :d_model // 2]
        self.register_buffer("pe", pe)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        t = x.size(1)
        return self.dropout(x * self.scale + self.pe[:t].to(x.dtype).unsqueeze(0))


class Conv2dSubsampling(nn.Module):
    """x4: two Conv2d(kernel 3, stride 2) + ReLU, then Linear(C * F', D)."""

    def __init__(self, input_dim, d_model, channels):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, channels, 3, stride=2), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, stride=2), nn.ReLU())
        freq = input_dim
        for _ in range(2):
            freq = (freq - 3) // 2 + 1
        self.out = nn.Linear(channels * freq, d_model)

    def forward(self, x):
        y = self.conv(x.unsqueeze(1))  # (N, C, T', F')
        n, c, t, f = y.shape
        return self.out(y.transpose(1, 2).reshape(n, t, c * f))

    @staticmethod
    def output_lengths(lengths):
        for _ in range(2):
            lengths = torch.div(lengths - 3, 2, rounding_mode="floor") + 1
        return lengths.clamp_min(0)


def norm_fp32(norm, x):
    return norm(x.to(torch.float32))


class EncoderLayer(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.norm_attn = nn.LayerNorm(o.d_model)
        self.norm_ff = nn.LayerNorm(o.d_model)
        self.attn = MultiHeadAttention(o.d_model, o.heads, o.attention_dropout)
        self.ff = FeedForward(o.d_model, o.ffn_dim, o.dropout)
        self.dropout = nn.Dropout(o.dropout)

    def forward(self, x, mask):
        h = norm_fp32(self.norm_attn, x)
        y = x + self.dropout(self.attn(h, h, h, mask))
        return y + self.dropout(self.ff(norm_fp32(self.norm_ff, y)))


class Encoder(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.subsampling = Conv2dSubsampling(o.input_dim, o.d_model, o.subsampling_channels)
        self.positions = PositionalEncoding(o.d_model, o.max_positions, o.dropout)
        self.layers = nn.ModuleList(EncoderLayer(o) for _ in range(o.encoder_layers))
        self.final_norm = nn.LayerNorm(o.d_model)

    def forward(self, feats, lengths):
        x = self.positions(self.subsampling(feats)).to(torch.float32)
        out_lengths = Conv2dSubsampling.output_lengths(lengths.to(torch.int64)).clamp_max(
            x.size(1))
        mask = length_mask(out_lengths, x.size(1))
        for layer in self.layers:
            x = layer(x, mask)
        return norm_fp32(self.final_norm, x), out_lengths, mask


class DecoderLayer(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.norm_self = nn.LayerNorm(o.d_model)
        self.norm_cross = nn.LayerNorm(o.d_model)
        self.norm_ff = nn.LayerNorm(o.d_model)
        self.self_attn = MultiHeadAttention(o.d_model, o.heads, o.attention_dropout)
        self.cross_attn = MultiHeadAttention(o.d_model, o.heads, o.attention_dropout)
        self.ff = FeedForward(o.d_model, o.ffn_dim, o.dropout)
        self.dropout = nn.Dropout(o.dropout)

    def forward(self, x, self_mask, memory, memory_mask):
        h = norm_fp32(self.norm_self, x)
        y = x + self.dropout(self.self_attn(h, h, h, self_mask))
        h = norm_fp32(self.norm_cross, y)
        y = y + self.dropout(self.cross_attn(h, memory, memory, memory_mask))
        return y + self.dropout(self.ff(norm_fp32(self.norm_ff, y)))


class Decoder(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.embed = nn.Embedding(o.vocab, o.d_model)
        self.positions = PositionalEncoding(o.d_model, o.max_positions, o.dropout)
        self.layers = nn.ModuleList(DecoderLayer(o) for _ in range(o.decoder_layers))
        self.final_norm = nn.LayerNorm(o.d_model)
        self.output = nn.Linear(o.d_model, o.vocab)

    def forward(self, tokens, lengths, memory, memory_mask):
        n = tokens.size(1)
        causal = torch.ones(n, n, dtype=torch.bool, device=tokens.device).tril().unsqueeze(0)
        self_mask = causal.logical_and(length_mask(lengths, n))
        x = self.positions(self.embed(tokens))
        for layer in self.layers:
            x = layer(x, self_mask, memory, memory_mask)
        return self.output(norm_fp32(self.final_norm, x))


class AsrModel(nn.Module):
    def __init__(self, o):
        super().__init__()
        self.encoder = Encoder(o)
        self.ctc = nn.Linear(o.d_model, o.vocab)
        self.decoder = Decoder(o)


def make_decoder_io(tokens, token_lengths):
    """<sos> y1..yL (padding <sos/eos>) as input, y1..yL <eos> (padding -1) as target."""
    n = tokens.size(0)
    sos = torch.full((n, 1), SOS_EOS, dtype=tokens.dtype)
    padded = torch.cat([tokens, torch.full((n, 1), IGNORE, dtype=tokens.dtype)], 1)
    lengths = token_lengths.to(torch.int64)
    positions = torch.arange(padded.size(1), dtype=tokens.dtype).unsqueeze(0)
    target = padded.masked_fill(positions == lengths.unsqueeze(1), SOS_EOS)
    inp = torch.cat([sos, tokens], 1)
    inp = inp.masked_fill(inp == IGNORE, SOS_EOS)
    return inp, target, lengths + 1


# ---- Losses (mirror asr/train/losses.cc) -------------------------------------------------------


def ctc_loss(log_probs, input_lengths, targets, target_lengths):
    n = log_probs.size(0)
    per_utt = F.ctc_loss(log_probs.transpose(0, 1).to(torch.float32),
                         targets.clamp_min(0).to(torch.int64), input_lengths.to(torch.int64),
                         target_lengths.to(torch.int64), blank=0, reduction="none",
                         zero_infinity=True)
    return per_utt.sum() / n


def label_smoothing_loss(logits, targets, smoothing):
    n, v = logits.size(0), logits.size(-1)
    logp = torch.log_softmax(logits.to(torch.float32), -1)
    valid = targets != IGNORE
    target = targets.masked_fill(valid.logical_not(), 0)
    q = torch.full_like(logp, smoothing / (v - 1)).scatter_(-1, target.unsqueeze(-1),
                                                           1.0 - smoothing)
    kl = (torch.xlogy(q, q) - q * logp).sum(-1)
    return kl.masked_fill(valid.logical_not(), 0.0).sum() / n


def token_accuracy(logits, targets):
    valid = targets != IGNORE
    count = valid.sum().item()
    if count == 0:
        return 0.0
    correct = (logits.argmax(-1) == targets).logical_and(valid).sum().item()
    return correct / count


# ---- Data ---------------------------------------------------------------------------------------


def read_table(path):
    table = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                table[parts[0]] = parts[1:]
    return table


def read_cmvn(path):
    """Kaldi text stats [ sums count ; sums of squares 0 ] -> (offset, scale), float32."""
    text = open(path).read()
    text = text[text.index("[") + 1:text.index("]")]
    rows = [[float(v) for v in row.split()] for row in text.strip().split("\n") if row.strip()]
    count = rows[0][-1]
    mean = torch.tensor(rows[0][:-1], dtype=torch.float64) / count
    var = (torch.tensor(rows[1][:-1], dtype=torch.float64) / count - mean * mean).clamp_min(1e-20)
    return (-mean).to(torch.float32), (1.0 / var.sqrt()).to(torch.float32)


class Utterances(torch.utils.data.Dataset):
    def __init__(self, paths, tokens, cmvn, dither):
        self.paths, self.tokens, self.dither = paths, tokens, dither
        self.offset, self.scale = cmvn

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        wave, rate = torchaudio.load(self.paths[i])
        wave = wave[:1] * 32768.0  # 16-bit integer scale, as Kaldi
        feats = torchaudio.compliance.kaldi.fbank(wave, num_mel_bins=80, dither=self.dither,
                                                  energy_floor=0.0, sample_frequency=rate)
        feats = (feats + self.offset) * self.scale
        return feats, self.tokens[i], wave.size(1) / rate


def collate(items):
    n = len(items)
    max_t = max(f.size(0) for f, _, _ in items)
    max_l = max(len(t) for _, t, _ in items)
    feats = torch.zeros(n, max_t, items[0][0].size(1))
    feat_lengths = torch.empty(n, dtype=torch.int64)
    tokens = torch.full((n, max_l), IGNORE, dtype=torch.int64)
    token_lengths = torch.zeros(n, dtype=torch.int64)
    for i, (f, t, _) in enumerate(items):
        feats[i, :f.size(0)] = f
        feat_lengths[i] = f.size(0)
        tokens[i, :len(t)] = torch.tensor(t, dtype=torch.int64)
        token_lengths[i] = len(t)
    return feats, feat_lengths, tokens, token_lengths, sum(s for _, _, s in items)


def child_peak_rss_mb():
    """Peak RSS (VmHWM) of each child process (the DataLoader workers), MB."""
    me, peaks = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[1] != me:
                    continue
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except (OSError, IndexError):
            pass
    return peaks


# ---- Training -----------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="Kaldi data dir (wav.scp of audio files)")
    p.add_argument("--tokens", required=True, help="`verbatim tokenizer encode --utt-ids` output")
    p.add_argument("--cmvn", required=True, help="global CMVN stats (verbatim compute-cmvn)")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--log", default="", help="JSONL log of every step")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--input-dim", type=int, default=80)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn-dim", type=int, default=1024)
    p.add_argument("--encoder-layers", type=int, default=6)
    p.add_argument("--decoder-layers", type=int, default=3)
    p.add_argument("--subsampling-channels", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--attention-dropout", type=float, default=0.0)
    p.add_argument("--max-positions", type=int, default=5000)
    p.add_argument("--dither", type=float, default=1.0)
    p.add_argument("--peak-lr", type=float, default=1e-3)
    p.add_argument("--warmup-steps", type=int, default=25000)
    p.add_argument("--ctc-weight", type=float, default=0.3)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=5.0)
    o = p.parse_args()

    torch.set_num_threads(o.threads)
    torch.manual_seed(o.seed)
    wav = read_table(os.path.join(o.data, "wav.scp"))
    token_table = read_table(o.tokens)
    ids = sorted(wav)
    tokens = [[int(t) for t in token_table[i]] for i in ids]
    dataset = Utterances([wav[i][0] for i in ids], tokens, read_cmvn(o.cmvn), o.dither)
    order = list(range(len(ids)))
    random.Random(o.seed).shuffle(order)
    batches = [order[b:b + o.batch] for b in range(0, len(order) - o.batch + 1, o.batch)]
    if len(batches) < o.steps:
        sys.exit(f"train_twin: {len(batches)} batches of {o.batch}, fewer than {o.steps} steps")
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=batches[:o.steps], num_workers=1,
                                         prefetch_factor=4, collate_fn=collate)

    model = AsrModel(o)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params} parameters, vocabulary {o.vocab}", file=sys.stderr)
    optimizer = torch.optim.Adam(model.parameters(), lr=o.peak_lr, betas=(0.9, 0.98), eps=1e-9)
    model.train()
    log = open(o.log, "w") if o.log else None
    bf16 = o.precision == "bf16"

    it = iter(loader)
    window_start = time.perf_counter()
    for step in range(1, o.steps + 1):
        feats, feat_lengths, toks, tok_lengths, audio = next(it)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            enc, enc_lengths, enc_mask = model.encoder(feats, feat_lengths)
            ctc_log_probs = torch.log_softmax(model.ctc(enc).to(torch.float32), -1)
            dec_in, dec_target, dec_lengths = make_decoder_io(toks, tok_lengths)
            logits = model.decoder(dec_in, dec_lengths, enc, enc_mask)
            ctc = ctc_loss(ctc_log_probs, enc_lengths, toks, tok_lengths)
            att = label_smoothing_loss(logits, dec_target, o.label_smoothing)
            total = o.ctc_weight * ctc + (1.0 - o.ctc_weight) * att
            total.backward()  # inside autocast, as the C++ trainer
        values = (total.item(), ctc.item(), att.item())
        accuracy = token_accuracy(logits.detach(), dec_target)

        torch.nn.utils.clip_grad_norm_(model.parameters(), o.grad_clip)
        lr = o.peak_lr * min(step / o.warmup_steps, math.sqrt(o.warmup_steps / step))
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.step()
        optimizer.zero_grad()

        seconds = time.perf_counter() - window_start
        rate = audio / max(seconds, 1e-9)
        record = {"type": "step", "epoch": 0, "step": step, "loss": values[0], "ctc": values[1],
                  "attention": values[2], "accuracy": accuracy, "lr": lr,
                  "audio_seconds_per_second": rate}
        if log:
            log.write(json.dumps(record, separators=(",", ":")) + "\n")
            log.flush()
        print(f"step {step} loss {values[0]:.3f} (ctc {values[1]:.3f} att {values[2]:.3f}) "
              f"acc {accuracy:.3f} lr {lr:.2e} {rate:.0f}x real time", file=sys.stderr)
        window_start = time.perf_counter()
    workers = child_peak_rss_mb()
    print("twin: loader worker peak RSS " + ", ".join(f"{w:.0f}" for w in workers) + " MB",
          file=sys.stderr)
    del it


if __name__ == "__main__":
    main()
