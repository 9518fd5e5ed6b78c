#!/usr/bin/env bash
# Memory benchmark (issue #7): every stage of the given configs (default: all four) through scripts/vae with a bounded
# driver heap and two executor JVMs, printing each stage's peak heap (Spark's executor metrics) and peak resident
# memory (VmHWM) of the driver and the executors. Train runs 1 epoch. Results go to the docs by hand, with this command.
#   scripts/bench-memory.sh [DRIVER_HEAP (default 1g)] [EXECUTOR_MB (default 2048)] [CONFIG...]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
heap=${1:-1g}
mb=${2:-2048}
shift $(($# < 2 ? $# : 2))
configs=("$@")
((${#configs[@]})) || configs=(punks-z2 punks-z20 mnist-z20 mnist-z2)
[[ -f "$repo/data/raw/mnist/train-images-idx3-ubyte" && -f "$repo/data/raw/punks/punks.png" ]] \
  || { echo "bench-memory.sh: run scripts/fetch-data.sh all first" >&2; exit 1; }
mkdir -p "$repo/bench-out/memory"
echo "# command: scripts/bench-memory.sh $heap $mb ${configs[*]}   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$repo/scripts/bench-java.sh" 1g io.sparkvae.bench.MemoryBenchmark "$repo/bench-out/memory" "$repo/data/raw" \
  "$heap" "$mb" "${configs[@]}"
