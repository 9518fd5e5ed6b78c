#!/usr/bin/env bash
# Throughput of VaeModel.transform (issue 14) on local[2] against the single-process model on the same MNIST test
# rows, latent means and -ELBO (K = 0) and with K = 1000 importance samples; the best of REPEATS runs after a warm-up
# each. Results go to docs/BENCHMARKS.md by hand, with this command.
#   scripts/bench-transform.sh [ROWS (default 10000)] [ROWS_K1000 (default 1000)] [REPEATS (default 3)]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
rows=${1:-10000}
rows_is=${2:-1000}
repeats=${3:-3}
[[ -f data/raw/mnist/t10k-images-idx3-ubyte ]] || { echo "bench-transform.sh: run scripts/fetch-data.sh mnist first" >&2; exit 1; }
echo "# command: scripts/bench-transform.sh $rows $rows_is $repeats   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$repo/scripts/bench-java.sh" 4g io.sparkvae.bench.TransformBenchmark "$repo/data/raw" "$rows" "$rows_is" "$repeats"
