#!/usr/bin/env bash
# Scaling benchmark of the train stage (issue 4): MNIST nz=20 trained single-process, with 1 worker on local[1],
# 2 workers on local[2] and 2 executor JVMs (local-cluster), all in one run, printing images/s against the
# single-process trainer measured before and after. Results go to docs/BENCHMARKS.md by hand, with this command.
#   scripts/bench-train.sh [EPOCHS (default 1)] [SETTINGS (default 5,20)]
# SETTINGS: comma-separated FREQ (minibatch 100 per worker) or BATCHxFREQ (minibatch per worker x averaging frequency).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
epochs=${1:-1}
freqs=${2:-5,20}
[[ -f data/raw/mnist/train-images-idx3-ubyte ]] || { echo "bench-train.sh: run scripts/fetch-data.sh mnist first" >&2; exit 1; }

work="$repo/bench-out/train-scaling"
mkdir -p "$work"
echo "# command: scripts/bench-train.sh $epochs $freqs   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$repo/scripts/bench-java.sh" 8g io.sparkvae.bench.TrainScalingBenchmark "$work" "$repo/data/raw" "$epochs" "$freqs"
