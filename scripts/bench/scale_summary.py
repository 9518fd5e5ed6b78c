#!/usr/bin/env python3
"""Table of scripts/bench-scale.sh: cost per example of each stage against the data's size.

  scale_summary.py RECORDS      RECORDS: one tab-separated line per stage run, as bench-scale.sh writes them:
                                factor, stage, wall seconds, disk bytes before, peak disk bytes during, disk bytes
                                after, GC log, the run's events.jsonl, the split encode scored

Per stage and size: the stage's own seconds (its "finished" line in events.jsonl: from the stage's start to its end,
without the JVM's start) and the process's wall seconds, microseconds per example from the stage's own seconds
(prepare: every example of every split; train: the training split, one epoch; encode: the split it scored), the JVM's
heap from its GC log (local[2]: the driver and its executors are one JVM; "peak" is the most used just before a
collection, "live" the most left just after one, the better measure of what the stage keeps), and the disk its files
take (peak above what was there before the stage, and what it left: its output), then each stage's growth from the
smallest size to the largest against issue 25's floors (microseconds per example at most +15%, heap at most 1.5x; the
live heap is compared), with the marginal microseconds per example between the two sizes (the stage's fixed costs,
such as Spark's start, make a small size's average look dear; the marginal cost leaves them out).
"""
import json
import re
import sys
from collections import defaultdict

UNITS = {"B": 1 / 2**20, "K": 1 / 1024, "M": 1, "G": 1024}
PAUSE = re.compile(r"GC\(\d+\) Pause .* (\d+)([BKMG])->(\d+)([BKMG])\((\d+)([BKMG])\)")


def heap_mb(gc_log):
    peak = live = 0.0
    try:
        for line in open(gc_log):
            m = PAUSE.search(line)
            if m:
                peak = max(peak, int(m.group(1)) * UNITS[m.group(2)])
                live = max(live, int(m.group(3)) * UNITS[m.group(4)])
    except OSError:
        pass
    return peak, live


def stage_events(events_path):
    """The last successful 'finished' line of each stage."""
    found = {}
    try:
        for line in open(events_path):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("event") == "finished" and e.get("outcome") == "ok":
                found[e["stage"]] = e
    except OSError:
        pass
    return found


def main(path):
    rows = []
    examples = {}  # factor -> split -> count, from prepare's numbers
    for line in open(path):
        factor, stage, wall, before, peak, after, gc_log, events, split = line.rstrip("\n").split("\t")
        event = stage_events(events).get(stage, {})
        numbers = event.get("numbers", {})
        if stage == "prepare":
            examples[factor] = {s: numbers.get(f"{s}_examples", 0) for s in ("train", "val", "test")}
        counts = examples.get(factor, {})
        n = {"prepare": sum(counts.values()), "train": counts.get("train", 0), "encode": counts.get(split, 0)}[stage]
        seconds = event.get("seconds", float(wall))
        heap_peak, heap_live = heap_mb(gc_log)
        rows.append({"factor": int(factor), "stage": stage, "n": n, "seconds": seconds, "wall": float(wall),
                     "us": 1e6 * seconds / n if n else float("nan"), "heap_peak": heap_peak, "heap_live": heap_live,
                     "disk_peak": (int(peak) - int(before)) / 2**20, "disk_left": (int(after) - int(before)) / 2**20})
    print("| size | stage | examples | stage s (wall s) | us per example | heap peak / live MB | disk peak / left MB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['factor']}x | {r['stage']} | {r['n']:,} | {r['seconds']:.1f} ({r['wall']:.1f}) | {r['us']:.1f} | "
              f"{r['heap_peak']:,.0f} / {r['heap_live']:,.0f} | {r['disk_peak']:,.0f} / {r['disk_left']:,.0f} |")
    by_stage = defaultdict(list)
    for r in rows:
        by_stage[r["stage"]].append(r)
    growth = []
    for stage, runs in by_stage.items():
        runs.sort(key=lambda r: r["factor"])
        small, large = runs[0], runs[-1]
        if small["factor"] == large["factor"] or not small["us"] or not small["heap_live"]:
            continue
        us = large["us"] / small["us"]
        heap = large["heap_live"] / small["heap_live"]
        # What one more example costs between the two sizes: the per-example cost without the stage's fixed costs
        # (Spark's start, the model's set-up, validation and checkpoint), which flatter the larger size's average.
        marginal = 1e6 * (large["seconds"] - small["seconds"]) / (large["n"] - small["n"]) if large["n"] > small["n"] else float("nan")
        growth.append(f"| {stage} | {small['factor']}x -> {large['factor']}x | {us:.2f}x ({'yes' if us <= 1.15 else '**no**'}) | "
                      f"{marginal:.1f} | {heap:.2f}x ({'yes' if heap <= 1.5 else '**no**'}) |")
    if growth:
        print()
        print("| stage | sizes | us per example grew (floor 1.15x) | marginal us per example | live heap grew (floor 1.5x) |")
        print("|---|---|---|---|---|")
        print("\n".join(growth))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
