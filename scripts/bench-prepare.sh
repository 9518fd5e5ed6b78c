#!/usr/bin/env bash
# Prepare benchmark (issue #13): `vae prepare` on FILES small generated 16x16 PNG files as an image folder against the
# same files' bytes as one Parquet table (binary column, decoded the same way), alternating ROUNDS times, each run with
# two executor JVMs; prints time and peak driver/executor memory per run. The files and the table are generated once
# under bench-out/prepare/ (git-ignored) and reused. Results go to docs/BENCHMARKS.md by hand, with this command.
#   scripts/bench-prepare.sh [FILES (default 100000)] [ROUNDS (default 2)] [DRIVER_HEAP (default 1g)] [EXECUTOR_MB (default 2048)]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
files=${1:-100000}
rounds=${2:-2}
heap=${3:-1g}
mb=${4:-2048}
mkdir -p "$repo/bench-out/prepare"
echo "# command: scripts/bench-prepare.sh $files $rounds $heap $mb   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
exec "$repo/scripts/bench-java.sh" 2g io.sparkvae.bench.PrepareFormatsBenchmark "$repo/bench-out/prepare" "$files" "$rounds" "$heap" "$mb"
