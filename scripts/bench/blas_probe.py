#!/usr/bin/env python3
"""Which BLAS PyTorch runs and how fast it multiplies at the training step's shapes: PyTorch's side of
scripts/bench-vs-pytorch.sh's baseline check (io.sparkvae.bench.BlasProbe is ours).

  blas_probe.py [M K N]     (default 100 784 500: MNIST's first layer at minibatch 100), 1 thread

Prints one JSON line: torch's and numpy's versions, the BLAS libraries mapped into this process (/proc/self/maps,
after torch has multiplied once, so the library torch really calls is loaded), OpenBLAS's openblas_get_config() and
openblas_get_corename() from that very library (ctypes), and GFLOP/s of torch.mm (what the training step runs) and of
that library's cblas_sgemm called directly. torch.__config__.show() goes to stderr (the caller prints it).
"""
import ctypes
import json
import os
import sys
import time

import numpy as np
import torch

CBLAS_ROW_MAJOR, CBLAS_NO_TRANS = 101, 111
SECONDS_PER_PASS, PASSES = 0.4, 3


def timed_median(call):
    times = []
    deadline = time.perf_counter() + SECONDS_PER_PASS
    while len(times) < 5 or time.perf_counter() < deadline:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def median_seconds(call):
    """Best of PASSES medians after a warm-up pass: a moment of load from elsewhere does not pass for a slow BLAS."""
    timed_median(call)
    return min(timed_median(call) for _ in range(PASSES))


def mapped_blas():
    found = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if path.startswith("/") and "blas" in os.path.basename(path) and path not in found:
                found.append(path)
    return found


def main(argv):
    m, k, n = (int(v) for v in argv[1:4]) if len(argv) == 4 else (100, 784, 500)
    torch.set_num_threads(1)
    a, b, c = torch.rand(m, k), torch.rand(k, n), torch.empty(m, n)
    torch.mm(a, b, out=c)
    flops = 2.0 * m * k * n
    out = {"side": "pytorch", "shape": f"{m}x{k} by {k}x{n}", "threads": torch.get_num_threads(),
           "python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__,
           "environment": {v: os.environ.get(v, "(unset)") for v in
                           ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")}}
    blas = mapped_blas()
    out["mapped_blas"] = blas
    openblas = next((p for p in blas if "openblas" in p), None)
    # Debian's libblas.so.3 under openblas-pthread/ is OpenBLAS itself (the alternatives system picks it), so try the
    # first mapped BLAS too: whichever answers openblas_get_config is the OpenBLAS torch calls.
    lib_path = openblas or (blas[0] if blas else None)
    lib = ctypes.CDLL(lib_path) if lib_path else None
    out["library"] = lib_path or "(none found in /proc/self/maps)"
    if lib is not None and hasattr(lib, "openblas_get_config"):
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_set_num_threads(1)
        out["openblas_config"] = lib.openblas_get_config().decode().strip()
        out["openblas_corename"] = lib.openblas_get_corename().decode().strip()
        out["openblas_threads"] = lib.openblas_get_num_threads()
        an, bn, cn = (np.random.rand(*s).astype(np.float32) for s in ((m, k), (k, n), (m, n)))
        f32 = ctypes.c_float
        ptr = [x.ctypes.data_as(ctypes.c_void_p) for x in (an, bn, cn)]
        args = (CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, m, n, k, f32(1.0), ptr[0], k, ptr[1], n, f32(0.0),
                ptr[2], n)
        out["cblas_sgemm_gflops"] = round(flops / median_seconds(lambda: lib.cblas_sgemm(*args)) / 1e9, 1)
    else:
        out["openblas_config"] = "(not OpenBLAS)"
    out["gemm_gflops"] = round(flops / median_seconds(lambda: torch.mm(a, b, out=c)) / 1e9, 1)
    print(torch.__config__.show().rstrip(), file=sys.stderr)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
