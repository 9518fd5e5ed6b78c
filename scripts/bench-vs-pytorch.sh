#!/usr/bin/env bash
# Training and importance-sampling speed against PyTorch on this machine, timed side by side (issues 15 and 25).
#
#   scripts/bench-vs-pytorch.sh [ROUNDS (default 3)]
#
# First the baseline check, which stops the benchmark instead of printing a table when the baseline is not sound:
#   - each side's BLAS: PyTorch's torch.__config__.show(), the BLAS libraries each process maps, OpenBLAS's
#     openblas_get_config() and core name from the very library each side calls, the OPENBLAS_* variables each runs
#     with, and sgemm GFLOP/s at the step's shapes (100x784 by 784x500, 1 thread): scripts/bench/blas_probe.py and
#     io.sparkvae.bench.BlasProbe. PyTorch's sgemm below half of ours: one "error:" line, exit 2 (a crippled BLAS is
#     the installation's or the environment's, rerunning cannot help).
#   - PyTorch 1-thread's MNIST rate, every round: below 6,000 images/s, or below 30% of what its own sgemm rate
#     allows (the step's multiply-adds at the probe's GFLOP/s), is one "error:" line, exit 1 (most often a busy
#     machine: rerun on an idle one).
#   - the machine: load average and the cores other processes keep busy (sampled for a second before every run);
#     a machine that is not idle gets a loud WARNING at the start, on the run's line and under the table.
# PyTorch's commands run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (env -u, for those commands alone: some
# machines set them to protect ND4J's old OpenBLAS build, and they slow a current one); ours run with them as the
# machine sets them. PyTorch's commands also run with glibc's allocator told to keep what it frees
# (MALLOC_MMAP_THRESHOLD_=32 MB, MALLOC_TRIM_THRESHOLD_=4 GB; PyTorch's CPU tuning guide asks for jemalloc or tcmalloc
# for the same reason): by default glibc maps every tensor above its threshold afresh and returns it when freed, and
# on a virtual machine the page faults that follow cost PyTorch 2-3x (MNIST 5.4k-9.6k images/s with 1.4 M faults in
# 3 epochs, against 17.3k-18.7k with 41 k). Ours run as users run them. Library versions (torch, numpy, Debian
# packages, Java, ND4J, OpenBLAS) are printed too.
#
# Every round times, one after the other and in a rotating order, on MNIST nz=20 and punks nz=2:
#   torch-1t, torch-2t  PyTorch (scripts/bench/vae_torch.py: same architecture, loss, Xavier init, Adam 1e-3,
#                       minibatch 100) with torch.set_num_threads(n) and OPENBLAS_NUM_THREADS=n
#   single-1t, -2t      our SingleProcessTrainer (vae-model) with ND4J's and OpenBLAS's pools at n threads
#   pair-1t, torch-pair-1t  two single-1t (torch-1t) processes at once, their rates summed: what two independent
#                       workers get from this machine (shared caches and memory bandwidth), the ceiling of any
#                       two-worker trainer here; stage-local[2] / pair-1t is what our distribution itself keeps
#   stage-local[1]      our train stage (scripts/vae train, the shipped conf) with 1 worker on local[1]
#   stage-local[2]      our train stage with the shipped conf as it is (2 workers) on local[2]
#   stage-local-cluster[2,1,4096]  the same on two executor JVMs of one core and 4096 MB each (Spark's local-cluster:
#                       real serialisation between processes, as on a cluster; 1 worker if it has one core in all)
#   is-torch-1t, is-1t  importance sampling at K=1000 of the first IS_IMAGES test images, 1 thread, untrained model
# Training rates are steady state: images over seconds of epochs 2..E (epoch 1 pays JIT and allocator warm-up; PyTorch
# is treated the same); the train stage's seconds are its own per-epoch fit time (`images_per_second` in
# metrics.jsonl: minibatch loading, the workers' steps and the averaging rounds; not the export or the validation).
# Prints a table of medians over the rounds and each contender's ratio to PyTorch 1-thread of the same round, then
# the ratios issue 25's floors are stated in (stage local[2] / PyTorch 1 thread, stage local[1] and local[2] / single
# process 1 thread, local-cluster / local[2]): each round's, their median and the floor. Numbers are only worth
# quoting from an idle machine.
#
# Environment: MNIST_EPOCHS (default 3), PUNKS_EPOCHS (6), IS_IMAGES (100), DATASETS ("mnist punks"),
#   CONTENDERS (all of the above, space-separated), OUT (bench-out/vs-pytorch),
#   BENCH_SKIP_BUILD=1: use the jars and classes as they are (both checkouts already built),
#   BEFORE_REPO: a checkout of an older commit (with this script's bench files copied in); every contender of ours then
#   also runs from it as "before:<contender>", interleaved with the rest (before/after under the same load).
# Installs Debian's python3-torch and libopenblas0-pthread when missing (needs root, as apt-get does).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
rounds=${1:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "error: bench-vs-pytorch.sh: ROUNDS must be a positive number, got '$rounds'" >&2; exit 2; }
mnist_epochs=${MNIST_EPOCHS:-3}
punks_epochs=${PUNKS_EPOCHS:-6}
is_images=${IS_IMAGES:-100}
datasets=${DATASETS:-"mnist punks"}
for ds in $datasets; do
  [[ $ds == mnist || $ds == punks ]] || { echo "error: bench-vs-pytorch.sh: DATASETS takes mnist and punks, got '$ds'" >&2; exit 2; }
done
contenders=${CONTENDERS:-"torch-1t torch-2t torch-pair-1t single-1t single-2t pair-1t stage-local[1] stage-local[2] stage-local-cluster[2,1,4096] is-torch-1t is-1t"}
out=${OUT:-$repo/bench-out/vs-pytorch}
python=/usr/bin/python3 # Debian's python3-torch lives in the system interpreter
# PyTorch's commands: without the variables that pick an old OpenBLAS kernel, and with glibc's allocator keeping
# freed memory (see the header).
torch_malloc=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967296)
torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${torch_malloc[@]}")
busy_limit=0.3 # cores other processes may keep busy before a run counts as "machine not idle"

if ! "$python" -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || { echo "error: PyTorch needs Debian's python3-torch and libopenblas0-pthread; install them as root (apt-get install -y python3-torch libopenblas0-pthread)" >&2; exit 2; }
  echo "# installing python3-torch and libopenblas0-pthread (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi
for f in mnist/train-images-idx3-ubyte mnist/t10k-images-idx3-ubyte punks/punks.png; do
  [[ -f data/raw/$f ]] || { echo "error: bench-vs-pytorch.sh: data/raw/$f is missing; run scripts/fetch-data.sh all" >&2; exit 1; }
done

skip_build=${BENCH_SKIP_BUILD:-0}
if [[ $skip_build != 1 ]]; then
  echo "# building (mvn package)" >&2
  mvn -B -q -DskipTests package >/dev/null
fi
before=${BEFORE_REPO:-}
if [[ -n "$before" ]]; then
  [[ $skip_build == 1 ]] || (cd "$before" && mvn -B -q -DskipTests package >/dev/null)
  extra=()
  for c in $contenders; do [[ $c == torch-* || $c == is-torch-* ]] || extra+=("before:$c"); done
  contenders="$contenders ${extra[*]}"
fi
mkdir -p "$out"
code=$repo # the checkout whose trainers run (BEFORE_REPO for before:* contenders)

# Cores other processes keep busy, sampled over a second while this script does nothing.
others_busy() { "$python" scripts/bench/baseline_check.py busy 1; }
not_idle() { awk -v b="$1" -v limit="$busy_limit" 'BEGIN { exit !(b > limit) }'; }
warn_busy() { # where busy-cores load-average
  local banner="# WARNING: MACHINE NOT IDLE $1: other processes keep $2 of $(nproc) cores busy (load average $3); these figures are not idle-machine figures"
  echo "$banner"
  echo "$banner" >&2
}

echo "# command: scripts/bench-vs-pytorch.sh $rounds  (MNIST_EPOCHS=$mnist_epochs PUNKS_EPOCHS=$punks_epochs IS_IMAGES=$is_images DATASETS=\"$datasets\")"
echo "# contenders: $contenders"
echo "# started $(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo -dirty), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/^Mem/ {print $2 " GB"}')"
echo "# PyTorch's commands run with: ${torch_env[*]:1}"
echo "# versions: $("$python" --version 2>&1), $(dpkg-query -W -f '${Package} ${Version}, ' python3-torch python3-numpy libopenblas0-pthread 2>/dev/null)$(java -version 2>&1 | head -1)"

# The baseline check: each side's BLAS and its sgemm at the step's shapes, before any training.
"${torch_env[@]}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$python" scripts/bench/blas_probe.py >"$out/blas-pytorch.json" \
  2>"$out/torch-config.txt" || { echo "error: PyTorch's BLAS probe failed: see $out/torch-config.txt" >&2; exit 1; }
echo "# torch.__config__.show():"
sed 's/^/#   /' "$out/torch-config.txt"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 BENCH_SKIP_BUILD=1 "$repo/scripts/bench-java.sh" 2g io.sparkvae.bench.BlasProbe \
  >"$out/blas-ours.json" 2>"$out/blas-ours.log" || { echo "error: our BLAS probe failed: see $out/blas-ours.log" >&2; exit 1; }
"$python" - "$out/blas-ours.json" <<'PY'
import json, sys
p = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1])
print(f"# versions (ours): {p['nd4j_jar']}, {p['nd4j_native_jar']}, {p['openblas_jar']} ({p['nd4j_backend']})")
PY
"$python" scripts/bench/baseline_check.py blas "$out/blas-pytorch.json" "$out/blas-ours.json"

[[ " $contenders " == *" torch-1t "* ]] || echo "# torch-1t is not among the contenders: no ratios to PyTorch and no check of its MNIST rate"
busy=$(others_busy)
not_idle "$busy" && warn_busy "at the start" "$busy" "$(cut -d' ' -f1-3 /proc/loadavg)"

java_main() { BENCH_SKIP_BUILD=1 "$code/scripts/bench-java.sh" 6g io.sparkvae.bench.VsPyTorchBenchmark "$@"; }
[[ -f "$out/data/punks-test.f32" ]] || java_main dump "$repo/data/raw" "$out/data" >&2
declare -A dim=([mnist]=784 [punks]=1728) nz=([mnist]=20 [punks]=2) conf=([mnist]=mnist-z20 [punks]=punks-z2)
declare -A epochs=([mnist]=$mnist_epochs [punks]=$punks_epochs)
root="$out/root"
for ds in $datasets; do
  scripts/vae prepare --conf "conf/${conf[$ds]}.conf" --root "$root" --master 'local[2]' >&2
done
results="$out/results.tsv"
: >"$results"

# Steady-state images/s of one run's JSON lines (scripts/bench/summarise.py says how).
rate() { "$python" scripts/bench/summarise.py rate "$1"; }

# One process training: PyTorch (torch-Nt) or our single-process trainer (single-Nt), N threads, on stdout.
contender_command() { # dataset contender
  local ds=$1 c=$2 t=${2#*-} e=${epochs[$1]}
  t=${t%t}
  if [[ $c == torch-* ]]; then
    "${torch_env[@]}" OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t "$python" scripts/bench/vae_torch.py train "$out/data/$ds-train.f32" \
      "${dim[$ds]}" "${nz[$ds]}" "$t" "$e"
  else
    OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t java_main train "$repo/data/raw" "$ds" "${nz[$ds]}" "$t" "$e"
  fi
}

run() { # round dataset contender
  local r=$1 ds=$2 c=${3#before:} n e=${epochs[$2]} log="$out/logs/round$1-$2-$3.log" ips busy load
  busy=$(others_busy)
  load=$(cut -d' ' -f1 /proc/loadavg)
  code=$repo
  [[ $3 == before:* ]] && code=$before
  n=$([[ $ds == mnist ]] && echo 50000 || echo 6000)
  mkdir -p "$out/logs"
  case "$c" in
    torch-pair-1t|pair-1t)
      local side=$([[ $c == torch-* ]] && echo torch-1t || echo single-1t) other
      contender_command "$ds" "$side" >"$log.a" 2>&1 &
      other=$!
      contender_command "$ds" "$side" >"$log" 2>&1 || { echo "error: $3 on $ds failed: see $log" >&2; exit 1; }
      wait "$other" || { echo "error: $3 on $ds failed: see $log.a" >&2; exit 1; } ;;
    torch-*t|single-*t)
      contender_command "$ds" "$c" >"$log" 2>&1 ;;
    stage-local\[*\]|stage-local-cluster\[*\])
      local spec=${c#*[} name target=() slots
      spec=${spec%]}
      name=bench-$ds-$(tr -c 'a-z0-9\n' _ <<<"${c#stage-}")
      local set=(--set "train.epochs=$e" --set "run.name=$name")
      if [[ $c == stage-local-cluster* ]]; then
        # Executor JVMs started from the build's classpath, as LocalCluster does in the integration tests.
        local ne cores mem jar="$code/spark-jobs/target/spark-vae-jobs.jar" launcher="$code/spark-jobs/target/launcher"
        IFS=, read -r ne cores mem <<<"$spec"
        slots=$((ne * cores))
        target=(--master "local-cluster[$spec]" --spark-conf "spark.jars=$jar"
          --spark-conf "spark.executor.extraClassPath=$(cat "$launcher/spark-classpath.txt"):$jar"
          --spark-conf "spark.executor.extraJavaOptions=$(cat "$launcher/jvm-options.txt")"
          --spark-conf "spark.executor.memory=${mem}m")
      else
        slots=$spec
        target=(--master "local[$spec]")
      fi
      [[ $slots == 1 ]] && set+=(--set train.workers=1)
      SPARK_HOME="$code/spark-jobs/target" SPARK_TESTING=1 SPARK_SCALA_VERSION=2.12 \
        "$code/scripts/vae" train --conf "conf/${conf[$ds]}.conf" --root "$root" "${target[@]}" "${set[@]}" --overwrite \
        >"$log" 2>&1 || { echo "error: $3 on $ds failed (exit $?): see $log" >&2; exit 1; }
      cat "$root/runs/$name/metrics.jsonl" >>"$log" ;;
    is-torch-1t)
      "${torch_env[@]}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$python" scripts/bench/vae_torch.py is "$out/data/$ds-test.f32" \
        "${dim[$ds]}" "${nz[$ds]}" 1 "$is_images" 1000 >"$log" 2>&1 ;;
    is-1t)
      OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java_main is "$repo/data/raw" "$ds" "${nz[$ds]}" 1 "$is_images" 1000 >"$log" 2>&1 ;;
    *) echo "error: bench-vs-pytorch.sh: unknown contender '$c'" >&2; exit 2 ;;
  esac
  if [[ $c == stage-* ]]; then
    ips=$(grep '^{"epoch"' "$log" | rate "$n")
  elif [[ $c == *pair-* ]]; then
    ips=$(awk -v a="$(rate "$n" <"$log")" -v b="$(rate "$n" <"$log.a")" 'BEGIN { printf "%.1f", a + b }')
  else
    ips=$(rate "$n" <"$log")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$ds" "$3" "$ips" "$load" "$busy" >>"$results"
  printf '# round %s %-6s %-31s %10s images/s  (before it: load %s, others busy %s cores)%s\n' "$r" "$ds" "$3" "$ips" "$load" \
    "$busy" "$(not_idle "$busy" && echo '  WARNING: MACHINE NOT IDLE')" >&2
  # A PyTorch baseline below the floor is not a baseline: stop instead of printing ratios to it.
  if [[ $3 == torch-1t && $ds == mnist ]]; then
    "$python" scripts/bench/baseline_check.py rate "$ips" "$out/blas-pytorch.json" || exit $?
  fi
}

read -r -a list <<<"$contenders"
for ((r = 1; r <= rounds; r++)); do
  for ds in $datasets; do
    for ((i = 0; i < ${#list[@]}; i++)); do
      run "$r" "$ds" "${list[(i + r - 1) % ${#list[@]}]}"
    done
  done
done
echo "# finished $(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" scripts/bench/summarise.py table "$results"
busy_runs=$(awk -F'\t' -v limit="$busy_limit" '$6 > limit' "$results" | wc -l)
if ((busy_runs > 0)); then
  echo
  warn_busy "in $busy_runs of $(wc -l <"$results") runs" "up to $(cut -f6 "$results" | sort -g | tail -1)" "$(cut -d' ' -f1-3 /proc/loadavg) now"
fi
