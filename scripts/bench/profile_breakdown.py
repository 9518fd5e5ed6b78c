#!/usr/bin/env python3
"""Where the CPU time of a profiled run went: reads async-profiler's collapsed stacks (one "frame;frame;... count"
line per stack) and adds every sample to the first category whose frames match, in the order below.

  profile_breakdown.py COLLAPSED [--only FRAME]    --only: just the samples whose stack contains FRAME
                                                   (e.g. SingleProcessTrainer.train: the training loop alone)
"""
import sys
from collections import Counter


def has(*patterns):
    return lambda frames: any(p in f for f in frames for p in patterns)


def thread_named(*patterns):
    return lambda frames: any(p in frames[0] for p in patterns)


CATEGORIES = [
    ("JIT compiler", has("CompileBroker", "C2Compiler", "C1Compiler", "Compile::")),
    ("GC", lambda fr: fr[0].startswith("start_thread") and any("G1" in f or "GC" in f for f in fr[:8])),
    ("export of the minibatch files (once per run)", has("MinibatchExporter")),
    ("reading the Parquet splits (once per run)", has("VectorizedRleValuesReader", "ArrayFilter", "SpecificSafeProjection", "parquet")),
    ("per-epoch validation pass", has("ValidationScorer", "Vae.elbo")),
    ("per-epoch checkpoint", has("Checkpoints", "VaeStore", "ModelSerializer")),
    ("loading + deserialising minibatch files", has("PathSparkDataSetIterator", "DataSetLoader", "MinibatchFile", "DataSet.load", "AsyncPrefetchThread")),
    ("round start: network rebuilt from the broadcast", has("getInitialModel")),
    ("round: broadcast of parameters + Adam state", has("TorrentBroadcast$.blockifyObject", "TorrentBroadcast.writeBlocks", "getWorkerInstance")),
    ("round: worker results (serialise, deserialise, average)", has("BaseNDArrayProxy", "ParameterAveragingElement", "processResults", "CompactAveragingMaster$Sum", "TaskResultGetter")),
    ("minibatch assembly (pullRows)", has("pullRows")),
    ("gemm (OpenBLAS, incl. the fused bias/ReLU layer ops)", has("libopenblas")),
    ("Adam (libnd4j adam_updater / FusedAdamUpdater)", has("AdamUpdater", "FusedAdamUpdater")),
    ("parameter step (params -= update)", has("StepFunction")),
    ("VaeMath element-wise ops and reductions", has("io/sparkvae/model/VaeMath")),
    ("noise eps (Gaussian RNG)", has("GaussianDistribution")),
    ("input checks (finite sum)", has("requireFinite", "checkedInput")),
    ("training hook (noise seed from the minibatch sum, score)", has("NoiseSeedingHook")),
    ("DL4J fit bookkeeping", has("MultiLayerNetwork.fit", "Solver", "BaseOptimizer", "MultiLayerNetwork.computeGradientAndScore")),
    ("class loading", has("ClassLoader.defineClass", "loadClass")),
    ("Spark scheduling, RPC, other Spark", has("org/apache/spark", "io/netty")),
]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    counts = Counter()
    total = 0
    for line in open(argv[1]):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        if only and not any(only in f for f in frames):
            continue
        n = int(n)
        total += n
        for name, matches in CATEGORIES:
            if matches(frames):
                counts[name] += n
                break
        else:
            counts["other"] += n
    print(f"| share of CPU samples | what |  ({total} samples{', stacks through ' + only if only else ''})")
    print("|---|---|")
    for name, n in counts.most_common():
        print(f"| {100 * n / total:.1f}% | {name} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
