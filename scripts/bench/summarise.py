#!/usr/bin/env python3
"""Helpers of scripts/bench-vs-pytorch.sh.

  summarise.py rate N < LOG     steady-state images/s of one run: its JSON lines with "epoch" give N images per
                                epoch over the seconds of epochs 2..E, N / images_per_second each (so the train
                                stage's validation time stays out); an importance-sampling run's single line gives
                                its "images_per_second"
  summarise.py table RESULTS    markdown table of a results.tsv (round, dataset, contender, images/s, load, busy
                                cores): the median images/s over the rounds and the median of each round's ratio to
                                PyTorch 1-thread on the same data set (importance sampling: to PyTorch's importance
                                sampling; "before:X" rows are X run from an older checkout in the same rounds); then the
                                ratios issue 25's floors are stated in, each round's and their median, against the floor,
                                and, without a floor, what two processes at once get from the machine and what of that
                                the two-worker train stage keeps
"""
import json
import statistics
import sys
from collections import defaultdict


def rate(n):
    rows = [json.loads(line) for line in sys.stdin if line.startswith("{")]
    if not rows:
        raise SystemExit("error: no JSON result lines in the run's output")
    if "epoch" in rows[0]:
        later = [r for r in rows if r["epoch"] > 1] or rows
        print(f"{n * len(later) / sum(n / r['images_per_second'] for r in later):.1f}")
    else:
        print(f"{rows[-1]['images_per_second']:.2f}")


def table(path):
    values = defaultdict(dict)  # (dataset, contender) -> round -> images/s
    order = []
    for line in open(path):
        rnd, ds, contender, ips = line.rstrip("\n").split("\t")[:4]
        if (ds, contender) not in values:
            order.append((ds, contender))
        values[(ds, contender)][rnd] = float(ips)
    print("| data | contender | images/s (median) | vs PyTorch 1-thread (median of per-round ratios) | per round |")
    print("|---|---|---|---|---|")
    def is_sampling(contender):
        return contender.split(":")[-1].startswith("is-")

    for ds, contender in sorted(order, key=lambda k: (k[0], is_sampling(k[1]), k[1].startswith("before:"), order.index(k))):
        own = values[(ds, contender)]
        base = values.get((ds, "is-torch-1t" if is_sampling(contender) else "torch-1t"), {})
        ratios = [own[r] / base[r] for r in own if r in base and base[r] > 0]
        ratio = f"{statistics.median(ratios):.2f}x" if ratios else "-"
        per_round = ", ".join(f"{own[r]:,.0f}" if own[r] >= 100 else f"{own[r]:.1f}" for r in sorted(own, key=int))
        median = statistics.median(own.values())
        shown = f"{median:,.0f}" if median >= 100 else f"{median:.1f}"
        print(f"| {ds} | {contender} | {shown} | {ratio} | {per_round} |")
    floors(values)


# Issue 25's floors: (what, contender, baseline, floor by data set). A contender ending in "[" matches any bracket
# (local-cluster[2,1,4096] and its variants).
FLOORS = [
    ("train stage local[2] / PyTorch 1 thread", "stage-local[2]", "torch-1t", {"mnist": 1.8, "punks": 1.6}),
    ("train stage local[1] / single process 1 thread", "stage-local[1]", "single-1t", {"mnist": 0.9, "punks": 0.9}),
    ("train stage local[2] / single process 1 thread", "stage-local[2]", "single-1t", {"mnist": 1.7, "punks": 1.7}),
    ("train stage local-cluster / local[2]", "stage-local-cluster[", "stage-local[2]", {"mnist": 0.85, "punks": 0.85}),
    # No floor: what the machine gives two independent workers, and what of it the train stage keeps.
    ("two PyTorch processes at once / one", "torch-pair-1t", "torch-1t", {}),
    ("two single processes at once / one", "pair-1t", "single-1t", {}),
    ("train stage local[2] / two single processes at once", "stage-local[2]", "pair-1t", {}),
]


def floors(values):
    rows = []
    for order, (what, contender, baseline, floor) in enumerate(FLOORS):
        for (ds, name), own in values.items():
            if not (name == contender or (contender.endswith("[") and name.startswith(contender))):
                continue
            base = values.get((ds, baseline), {})
            ratios = {r: own[r] / base[r] for r in own if r in base and base[r] > 0}
            if not ratios:
                continue
            median = statistics.median(ratios.values())
            per_round = ", ".join(f"{ratios[r]:.2f}" for r in sorted(ratios, key=int))
            bound = f"{floor[ds]}x" if ds in floor else "-"
            verdict = "-" if ds not in floor else "yes" if median >= floor[ds] else "**no**"
            label = what if name == contender else f"{what} ({name})"
            rows.append((ds, order, name, f"| {ds} | {label} | {median:.2f}x | {per_round} | {bound} | {verdict} |"))
    if rows:
        print()
        print("| data | ratio (issue 25 floor) | median of per-round ratios | per round | floor | meets it |")
        print("|---|---|---|---|---|---|")
        print("\n".join(row[-1] for row in sorted(rows)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "rate":
        rate(int(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
