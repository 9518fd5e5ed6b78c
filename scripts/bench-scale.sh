#!/usr/bin/env bash
# Cost against data size (issue 25): MNIST grown to each FACTOR (1x, 4x, 16x: up to 1.12 M images), then prepare, one
# epoch of train and encode of the training split, each its own `scripts/vae` process on local[2] with a fixed heap.
#
#   scripts/bench-scale.sh [FACTORS (default "1 4 16")]
#
# The grown data is a Parquet table written by the benchmark (io.sparkvae.bench.GrownMnist: copy 0 is MNIST's 70,000
# images, every further copy the same images shifted by its own offset of up to 2 pixels), under OUT/tables/ and
# kept for the next run; the stages read it as a data.format = parquet dataset whose config includes the shipped
# conf/mnist-z20.conf (2 workers, averaging every 125 minibatches), with data.partitions = PARTITIONS_PER_COPY x FACTOR
# (a constant partition size, as a user would set it) and train.epochs = 1.
# Prints, per size and stage: the stage's own seconds (events.jsonl) and the process's wall seconds, microseconds per
# example, the JVM's peak and live heap (its GC log; on local[2] the driver and its executors are one JVM, so this is
# the driver's heap with the tasks' in it), and the disk the stage's files take at their peak (its output, the Spark
# local dir, the JVM's temp dir: polled every second) and what it leaves; then each stage's growth from the smallest
# size to the largest against issue 25's floors. Numbers are only worth quoting from an idle machine.
#
# Environment: SCALE_FRACTION (default 1: whole MNIST in every copy; e.g. 0.05 for a smoke run of a few minutes),
#   SCALE_HEAP (default 4g: -Xmx of every stage's JVM), PARTITIONS_PER_COPY (4), OUT (bench-out/scale),
#   SCALE_EXECUTORS: "N,MB" runs the stages on local-cluster[N,1,MB] (N executor JVMs of one core and MB each,
#   started from the build as the integration tests do), so the heap figures are the driver's alone; default: local[2],
#   BENCH_SKIP_BUILD=1: use the jars and classes as they are.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
factors=${1:-"1 4 16"}
fraction=${SCALE_FRACTION:-1}
heap=${SCALE_HEAP:-4g}
executors=${SCALE_EXECUTORS:-}
per_copy=${PARTITIONS_PER_COPY:-4}
out=${OUT:-$repo/bench-out/scale}
python=/usr/bin/python3
for f in $factors; do
  [[ "$f" =~ ^[1-9][0-9]*$ && $f -le 25 ]] || { echo "error: bench-scale.sh: FACTORS must be whole numbers 1..25, got '$f'" >&2; exit 2; }
done
awk -v f="$fraction" 'BEGIN { exit !(f > 0 && f <= 1) }' || { echo "error: bench-scale.sh: SCALE_FRACTION must be in (0, 1], got '$fraction'" >&2; exit 2; }
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [[ -f data/raw/mnist/$f ]] || { echo "error: bench-scale.sh: data/raw/mnist/$f is missing; run scripts/fetch-data.sh mnist" >&2; exit 1; }
done
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "# building (mvn package)" >&2
  mvn -B -q -DskipTests package >/dev/null
fi
mkdir -p "$out/tables" "$out/conf" "$out/logs"
master=(--master 'local[2]')
if [[ -n "$executors" ]]; then
  [[ "$executors" =~ ^([1-9][0-9]*),([1-9][0-9]*)$ ]] || { echo "error: bench-scale.sh: SCALE_EXECUTORS must be N,MB, got '$executors'" >&2; exit 2; }
  launcher="$repo/spark-jobs/target/launcher" jar="$repo/spark-jobs/target/spark-vae-jobs.jar"
  master=(--master "local-cluster[${BASH_REMATCH[1]},1,${BASH_REMATCH[2]}]" --spark-conf "spark.jars=$jar"
    --spark-conf "spark.executor.extraClassPath=$(cat "$launcher/spark-classpath.txt"):$jar"
    --spark-conf "spark.executor.extraJavaOptions=$(cat "$launcher/jvm-options.txt")"
    --spark-conf "spark.executor.memory=${BASH_REMATCH[2]}m")
  export SPARK_HOME="$repo/spark-jobs/target" SPARK_TESTING=1 SPARK_SCALA_VERSION=2.12
fi
records="$out/records.tsv"
: >"$records"

# Bytes under the folders a stage writes to (files a concurrent delete takes away are simply not counted).
disk() { du -sb "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

run_stage() { # factor stage conf root
  local f=$1 stage=$2 conf=$3 root=$4 scratch="$out/scratch-$1x" log="$out/logs/$1x-$2.log" gc="$out/logs/$1x-$2.gc.log"
  mkdir -p "$scratch/spark-local" "$scratch/tmp" "$root"
  local dirs=("$root" "$scratch") before start peak_file="$out/logs/$1x-$2.disk"
  before=$(disk "${dirs[@]}")
  echo "$before" >"$peak_file"
  # The disk poller: the largest total seen while the stage runs.
  (while :; do d=$(disk "${dirs[@]}"); (( d > $(cat "$peak_file") )) && echo "$d" >"$peak_file"; sleep 1; done) &
  local poller=$!
  start=$(date +%s.%N)
  local rc=0
  VAE_DRIVER_MEMORY=$heap VAE_JAVA_OPTS="-Xlog:gc:file=$gc -Djava.io.tmpdir=$scratch/tmp" \
    scripts/vae "$stage" --conf "$conf" --root "$root" "${master[@]}" --spark-conf "spark.local.dir=$scratch/spark-local" \
    >"$log" 2>&1 || rc=$?
  local wall after
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  kill "$poller" 2>/dev/null || true
  wait "$poller" 2>/dev/null || true
  ((rc == 0)) || { echo "error: bench-scale.sh: $stage at ${f}x failed (exit $rc): see $log" >&2; exit 1; }
  after=$(disk "${dirs[@]}")
  local peak
  peak=$(cat "$peak_file")
  ((after > peak)) && peak=$after
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$stage" "$wall" "$before" "$peak" "$after" "$gc" \
    "$root/runs/scale-${f}x/events.jsonl" train >>"$records"
  printf '# %3sx %-8s %8s s wall  (load average %s)\n' "$f" "$stage" "$wall" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

echo "# command: scripts/bench-scale.sh \"$factors\"  (SCALE_FRACTION=$fraction SCALE_HEAP=$heap PARTITIONS_PER_COPY=$per_copy SCALE_EXECUTORS=$executors; ${master[1]})"
echo "# started $(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo -dirty), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
busy=$("$python" scripts/bench/baseline_check.py busy 1)
if awk -v b="$busy" 'BEGIN { exit !(b > 0.3) }'; then
  warning="# WARNING: MACHINE NOT IDLE: other processes keep $busy of $(nproc) cores busy; these figures are not idle-machine figures"
  echo "$warning"
  echo "$warning" >&2
fi
for f in $factors; do
  table="$out/tables/mnist-${f}x-f$fraction"
  if [[ ! -f "$table/_SUCCESS" ]]; then
    rm -rf "$table"
    BENCH_SKIP_BUILD=1 scripts/bench-java.sh 3g io.sparkvae.bench.GrownMnist "$repo/data/raw" "$table" "$f" "$fraction" \
      "$((per_copy * f))" >"$out/logs/grow-${f}x.log" 2>&1 || { echo "error: bench-scale.sh: growing MNIST to ${f}x failed: see $out/logs/grow-${f}x.log" >&2; exit 1; }
  fi
  conf="$out/conf/scale-${f}x.conf"
  cat >"$conf" <<EOF
# Written by scripts/bench-scale.sh: the shipped MNIST config on MNIST grown ${f}x (SCALE_FRACTION=$fraction).
include "$repo/conf/mnist-z20.conf"
run.name = scale-${f}x
data {
  dataset = mnist-grown-${f}x
  preset = ""
  format = parquet
  raw = "$out/tables"
  partitions = $((per_copy * f))
  parquet { path = "$(basename "$table")", pixels = pixels, label = label, id = id, width = 28, height = 28, channels = 1 }
}
train.epochs = 1
encode.split = train
EOF
  root="$out/root-${f}x"
  rm -rf "$root" "$out/scratch-${f}x" # every size from a clean slate: the disk figures are this run's alone
  for stage in prepare train encode; do
    run_stage "$f" "$stage" "$conf" "$root"
  done
done
echo "# finished $(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" scripts/bench/scale_summary.py "$records"
