#!/usr/bin/env python3
"""Scaling efficiency of parameter averaging past this machine: a model from per-round costs measured here.

  scaling_model.py        prints, for MNIST nz=20 and punks nz=2 at the shipped averaging frequencies, the efficiency
                          (workers' compute over the whole round) at 2, 8, 32 and 128 one-core executors, for the
                          round loop as built (the driver broadcasts the state and collects every worker's) and for
                          averaging among the executors (reduce-scatter then all-gather, the driver out of the data
                          path), and the frequency the latter needs for 80% at 32 executors

The inputs (docs/BENCHMARKS.md, "Past this machine", says where each was measured): a step's time on one core, the
state's size (parameters and Adam's two moments, float32), task launch, the fetch and deserialisation of a broadcast
state, and the driver's handling of one result. The network is taken as 10 Gb/s.
"""
import math
import pathlib
import re

STEP_MS = {"mnist": 8.0, "punks": 20.0}         # one minibatch of 100 on one core (single process, this VM)
STATE_MB = {"mnist": 9.8, "punks": 20.8}        # 3 x parameters x 4 bytes
CONF = {"mnist": "mnist-z20.conf", "punks": "punks-z2.conf"}  # the shipped configs the frequencies come from
LAUNCH_MS, LAUNCH_PER_EXECUTOR_MS = 50.0, 1.0   # a round's job and task launch
WIRE_MS_PER_MB = 0.8                            # 10 Gb/s
FETCH_MS_PER_MB = 5.0                           # an executor receiving and deserialising the broadcast state
DRIVER_MS_PER_MB = 2.0                          # the driver deserialising and summing one worker's state
PEER_MS_PER_MB = 3.0                            # an executor serialising, reading and summing a part of a state
BARRIER_MS_PER_EXECUTOR = 1.0                   # the two barriers of a reduce-scatter and all-gather round


def driver_star(n, state):
    """Round overhead (ms) of the loop as built: a torrent broadcast out, every state back to the driver."""
    broadcast = FETCH_MS_PER_MB * state + (math.log2(n) + 1) * WIRE_MS_PER_MB * state
    collect = n * (WIRE_MS_PER_MB + DRIVER_MS_PER_MB) * state
    return LAUNCH_MS + LAUNCH_PER_EXECUTOR_MS * n + broadcast + collect


def among_executors(n, state):
    """Round overhead (ms) of reduce-scatter and all-gather: 2 (n-1)/n states in and out of each executor."""
    moved = 2 * state * (n - 1) / n
    return LAUNCH_MS + LAUNCH_PER_EXECUTOR_MS * n + moved * (WIRE_MS_PER_MB + PEER_MS_PER_MB) + BARRIER_MS_PER_EXECUTOR * n


def shipped_frequency(data):
    """train.averaging-frequency of the shipped config, read from conf/ so the model follows it."""
    text = (pathlib.Path(__file__).resolve().parents[2] / "conf" / CONF[data]).read_text()
    return int(re.search(r"^\s*averaging-frequency\s*=\s*(\d+)", text, re.M).group(1))


def efficiency(compute, overhead):
    return compute / (compute + overhead)


def main():
    for data in ("mnist", "punks"):
        f, state = shipped_frequency(data), STATE_MB[data]
        compute = f * STEP_MS[data]
        star = " / ".join(f"{efficiency(compute, driver_star(n, state)):.0%}" for n in (2, 8, 32, 128))
        peers = " / ".join(f"{efficiency(compute, among_executors(n, state)):.0%}" for n in (2, 8, 32, 128))
        needed = next(g for g in range(1, 10000) if efficiency(g * STEP_MS[data], among_executors(32, state)) >= 0.8)
        print(f"{data} (state {state} MB, every {f} minibatches, {compute:.0f} ms of steps a round), 2 / 8 / 32 / 128 executors: "
              f"driver broadcasts and collects {star}; among the executors {peers}; 80% at 32 executors among the "
              f"executors from every {needed} minibatches")


if __name__ == "__main__":
    main()
