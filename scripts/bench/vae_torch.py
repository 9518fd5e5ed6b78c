#!/usr/bin/env python3
"""The project's VAE in PyTorch, the speed baseline of scripts/bench-vs-pytorch.sh.

Same model and work as the Java side (io.sparkvae.model): x-500-(mu|log-variance of nz)-500-x, ReLU, Xavier
(Glorot) uniform init, Bernoulli decoder on logits, loss = minibatch mean of -ELBO with the closed-form KL, Adam,
minibatches of 100 drawn from a reshuffled order every epoch, and importance sampling of log p(x) with K samples
from q(z|x) in blocks of whole images (2,000 rows, as Vae.logLikelihood does).

Input: a raw little-endian float32 file of [rows, dim] pixels in [0, 1] (written by the Java side's
SpeedBenchmark dump, so both read the same images). Output: one JSON object per line on stdout.

  vae_torch.py train DATA DIM NZ THREADS EPOCHS [LR]   -> {"epoch", "seconds", "images_per_second", "cpu_seconds",
                                                          "train_neg_elbo"}   (cpu_seconds: this thread's CPU time)
  vae_torch.py is DATA DIM NZ THREADS IMAGES K         -> {"images", "k", "seconds", "images_per_second", "mean_log_px"}

Threads: torch.set_num_threads(THREADS); OpenBLAS's own pool is sized by OPENBLAS_NUM_THREADS, which the calling
script sets to the same number before Python starts (OpenBLAS reads it when it is loaded).
"""
import json
import math
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HIDDEN = 500
BATCH = 100
IS_BLOCK_ROWS = 2000


class Vae(nn.Module):
    def __init__(self, dim, nz):
        super().__init__()
        self.nz = nz
        self.enc = nn.Linear(dim, HIDDEN)
        self.head = nn.Linear(HIDDEN, 2 * nz)  # [mean | log-variance], one gemm like the Java side
        self.dec = nn.Linear(nz, HIDDEN)
        self.out = nn.Linear(HIDDEN, dim)
        for layer in (self.enc, self.head, self.dec, self.out):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def encode(self, x):
        h = self.head(F.relu(self.enc(x)))
        return h[:, :self.nz], h[:, self.nz:]

    def logits(self, z):
        return self.out(F.relu(self.dec(z)))

    def neg_elbo_sum(self, x):
        mu, log_var = self.encode(x)
        sigma = torch.exp(0.5 * log_var)
        z = mu + sigma * torch.randn_like(mu)
        rec = F.binary_cross_entropy_with_logits(self.logits(z), x, reduction="sum")
        kl = 0.5 * torch.sum(mu * mu + sigma * sigma - 1.0 - log_var)
        return rec + kl


def load(path, dim):
    data = np.fromfile(path, dtype="<f4")
    if data.size % dim:
        raise SystemExit(f"error: {path} holds {data.size} floats, not a multiple of {dim}")
    return torch.from_numpy(data.reshape(-1, dim))


def train(path, dim, nz, threads, epochs, lr):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x = load(path, dim)
    n = x.shape[0]
    model = Vae(dim, nz)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n)
        total = 0.0
        start = time.perf_counter()
        cpu_start = time.thread_time()
        for first in range(0, n, BATCH):
            batch = x[order[first:first + BATCH]]
            loss = model.neg_elbo_sum(batch) / batch.shape[0]
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * batch.shape[0]
        seconds = time.perf_counter() - start
        cpu = time.thread_time() - cpu_start
        print(json.dumps({"epoch": epoch, "seconds": seconds, "images_per_second": n / seconds, "cpu_seconds": cpu,
                          "train_neg_elbo": total / n}), flush=True)


@torch.no_grad()
def importance_sampling(path, dim, nz, threads, images, k):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x = load(path, dim)[:images]
    model = Vae(dim, nz)
    per_block = max(1, IS_BLOCK_ROWS // k)
    log_px(model, x[:per_block], k)  # warm-up, as the Java side does
    start = time.perf_counter()
    total = 0.0
    for first in range(0, images, per_block):
        total += log_px(model, x[first:first + per_block], k).sum().item()
    seconds = time.perf_counter() - start
    print(json.dumps({"images": images, "k": k, "seconds": seconds, "images_per_second": images / seconds,
                      "mean_log_px": total / images}), flush=True)


def log_px(model, xb, k):
    """log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x) for each row of xb [b, dim], z_i ~ q(z|x)."""
    b, dim = xb.shape
    nz = model.nz
    mu, log_var = model.encode(xb)                       # [b, nz]
    sigma = torch.exp(0.5 * log_var)
    eps = torch.randn(b, k, nz)
    z = mu[:, None, :] + sigma[:, None, :] * eps         # [b, k, nz]
    logits = model.logits(z.reshape(b * k, nz)).reshape(b, k, dim)
    log_pxz = -F.binary_cross_entropy_with_logits(logits, xb[:, None, :].expand(b, k, dim), reduction="none").sum(-1)
    # log p(z) - log q(z|x); the 2 pi terms cancel
    latent = 0.5 * (eps * eps - z * z).sum(-1) + 0.5 * log_var.sum(-1, keepdim=True)
    return torch.logsumexp(log_pxz + latent, dim=1) - math.log(k)


def main(argv):
    if len(argv) < 2 or argv[1] not in ("train", "is"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path, dim, nz, threads = argv[1], argv[2], int(argv[3]), int(argv[4]), int(argv[5])
    if mode == "train":
        train(path, dim, nz, threads, int(argv[6]), float(argv[7]) if len(argv) > 7 else 1e-3)
    else:
        importance_sampling(path, dim, nz, threads, int(argv[6]), int(argv[7]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
