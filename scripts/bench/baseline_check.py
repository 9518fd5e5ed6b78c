#!/usr/bin/env python3
"""The checks that keep scripts/bench-vs-pytorch.sh's PyTorch baseline from being wrong quietly.

  baseline_check.py blas TORCH_JSON OURS_JSON   prints each side's BLAS (library, OpenBLAS config and core, the
                                                OPENBLAS_* variables it ran with) and its sgemm GFLOP/s at the step's
                                                shapes; exit 2 with one "error:" line when PyTorch's is below half of ours
  baseline_check.py rate IMAGES_PER_SECOND [TORCH_JSON]
                                                exit 1 with one "error:" line when PyTorch's MNIST rate is below 6,000,
                                                or below 30% of what its sgemm rate (TORCH_JSON) allows for the step
  baseline_check.py busy SECONDS                cores kept busy by other processes while this one sleeps (/proc/stat)

Why these exit codes: a BLAS at half our speed at the same shapes and thread count is a property of the installation
or the environment (a wrong OPENBLAS_CORETYPE kernel, the reference BLAS, oversubscribed threads): running again
cannot help, so 2. A slow MNIST rate with a healthy sgemm is most often a machine busy with other work: running again
on an idle machine can help, so 1. The step is nearly all matrix products (MNIST nz=20: 784-500-(20+20), 20-500-784,
each forward, and twice that backward), so a rate far below what the same process's sgemm allows means time goes
elsewhere: an allocator returning every tensor to the system (page faults), oversubscribed threads, another tenant.

The sides' sgemm figures: PyTorch's is torch.mm (what its training step runs); ours is the better of ND4J's gemm and
its OpenBLAS's cblas_sgemm called directly, so a moment of load during our probe cannot make PyTorch look fine.
"""
import json
import sys
import time

SGEMM_FLOOR = 0.5          # PyTorch's sgemm against ours
TORCH_MNIST_FLOOR = 6000   # images/s, PyTorch 1 thread, MNIST nz=20
GEMM_SHARE_FLOOR = 0.3     # PyTorch's training GFLOP/s against its own sgemm's
# Multiply-adds of one MNIST nz=20 image's step: the four weight matrices, forward, and twice that backward.
MNIST_STEP_FLOP = 2 * 3 * (784 * 500 + 500 * 2 * 20 + 20 * 500 + 500 * 784)


def describe(side, probe):
    env = ", ".join(f"{k}={v}" for k, v in sorted(probe.get("environment", {}).items()))
    lines = [f"# BLAS {side:8} {probe.get('openblas_config')}  (core {probe.get('openblas_corename', '-')}, "
             f"{probe.get('openblas_threads', '-')} thread(s))",
             f"#   library  {probe.get('library')}",
             f"#   env      {env}",
             f"#   sgemm {probe.get('shape')}, {probe.get('threads')} thread: {gemm_name(probe)} "
             f"{probe.get('gemm_gflops')} GFLOP/s, cblas_sgemm {probe.get('cblas_sgemm_gflops', '-')} GFLOP/s"]
    return "\n".join(lines)


def gemm_name(probe):
    return "torch.mm" if probe.get("side") == "pytorch" else "ND4J gemm"


def blas(torch_path, ours_path):
    torch_probe = load(torch_path, "PyTorch's BLAS probe")
    ours_probe = load(ours_path, "our BLAS probe")
    print(describe("PyTorch", torch_probe))
    print(describe("ours", ours_probe))
    theirs = torch_probe["gemm_gflops"]
    ours = max(ours_probe["gemm_gflops"], ours_probe.get("cblas_sgemm_gflops", 0))
    print(f"# sgemm PyTorch / ours: {theirs / ours:.2f} (floor {SGEMM_FLOOR})")
    if theirs < SGEMM_FLOOR * ours:
        print(f"error: PyTorch's sgemm runs at {theirs} GFLOP/s, below half of ours ({ours}) at {torch_probe.get('shape')} "
              f"on 1 thread: its BLAS is crippled ({torch_probe.get('openblas_config')}, {torch_probe.get('library')}); "
              "fix the installation (libopenblas0-pthread) or the OPENBLAS_* environment, no table printed", file=sys.stderr)
        sys.exit(2)


def rate(value, torch_path=None):
    ips = float(value)
    if ips < TORCH_MNIST_FLOOR:
        print(f"error: PyTorch 1-thread trains MNIST at {ips:,.0f} images/s, below the {TORCH_MNIST_FLOOR:,} floor: the "
              "machine is busy or PyTorch's BLAS is throttled; rerun on an idle machine (no table printed)", file=sys.stderr)
        sys.exit(1)
    if torch_path is None:
        return
    gemm = load(torch_path, "PyTorch's BLAS probe")["gemm_gflops"]
    training = ips * MNIST_STEP_FLOP / 1e9
    share = training / gemm
    print(f"# PyTorch MNIST {ips:,.0f} images/s = {training:.1f} GFLOP/s, {share:.2f} of its sgemm's "
          f"{gemm} (floor {GEMM_SHARE_FLOOR})", file=sys.stderr)
    if share < GEMM_SHARE_FLOOR:
        print(f"error: PyTorch 1-thread trains MNIST at {ips:,.0f} images/s, {share:.2f} of what its sgemm ({gemm} GFLOP/s) "
              f"allows, below {GEMM_SHARE_FLOOR}: its time goes elsewhere (a busy machine, page faults from the "
              "allocator, oversubscribed threads); rerun on an idle machine (no table printed)", file=sys.stderr)
        sys.exit(1)


def busy(seconds):
    def sample():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values[:8]) - idle, sum(values[:8])
    cores = sum(1 for line in open("/proc/stat") if line.startswith("cpu") and line[3].isdigit())
    busy0, total0 = sample()
    time.sleep(float(seconds))
    busy1, total1 = sample()
    print(f"{cores * (busy1 - busy0) / max(1, total1 - total0):.2f}")


def load(path, what):
    try:
        with open(path) as f:
            lines = [line for line in f if line.startswith("{")]
        return json.loads(lines[-1])
    except (OSError, IndexError, ValueError) as e:
        print(f"error: {what} gave no JSON result in {path} ({e})", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "blas":
        blas(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "rate":
        rate(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "busy":
        busy(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
