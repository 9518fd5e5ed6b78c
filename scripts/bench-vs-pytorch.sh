#!/usr/bin/env bash
# Training and importance-sampling speed against PyTorch on this machine, timed side by side (issue 15).
#
#   scripts/bench-vs-pytorch.sh [ROUNDS (default 3)]
#
# Every round times, one after the other and in a rotating order, on MNIST nz=20 and punks nz=2:
#   torch-1t, torch-2t  PyTorch (scripts/bench/vae_torch.py: same architecture, loss, Xavier init, Adam 1e-3,
#                       minibatch 100) with torch.set_num_threads(n) and OPENBLAS_NUM_THREADS=n
#   single-1t, -2t      our SingleProcessTrainer (vae-model) with ND4J's and OpenBLAS's pools at n threads
#   stage-local[1]      our train stage (scripts/vae train, the shipped conf) with 1 worker on local[1]
#   stage-local[2]      our train stage with the shipped conf as it is (2 workers) on local[2]
#   is-torch-1t, is-1t  importance sampling at K=1000 of the first IS_IMAGES test images, 1 thread, untrained model
# Training rates are steady state: images over seconds of epochs 2..E (epoch 1 pays JIT and allocator warm-up; PyTorch
# is treated the same); the train stage's seconds are its own per-epoch fit time (`images_per_second` in
# metrics.jsonl: minibatch loading, the workers' steps and the averaging rounds; not the export or the validation).
# Prints a table of medians over the rounds and each contender's ratio to PyTorch 1-thread of the same round.
# The machine's environment (e.g. OPENBLAS_CORETYPE) is left as it is for both sides.
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
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench-vs-pytorch.sh: ROUNDS must be a positive number, got '$rounds'" >&2; exit 2; }
mnist_epochs=${MNIST_EPOCHS:-3}
punks_epochs=${PUNKS_EPOCHS:-6}
is_images=${IS_IMAGES:-100}
datasets=${DATASETS:-"mnist punks"}
contenders=${CONTENDERS:-"torch-1t torch-2t single-1t single-2t stage-local[1] stage-local[2] is-torch-1t is-1t"}
out=${OUT:-$repo/bench-out/vs-pytorch}
python=/usr/bin/python3 # Debian's python3-torch lives in the system interpreter

if ! "$python" -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "# installing python3-torch and libopenblas0-pthread (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi
for f in mnist/train-images-idx3-ubyte mnist/t10k-images-idx3-ubyte punks/punks.png; do
  [[ -f data/raw/$f ]] || { echo "bench-vs-pytorch.sh: data/raw/$f is missing; run scripts/fetch-data.sh all" >&2; exit 1; }
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
java_main() { BENCH_SKIP_BUILD=1 "$code/scripts/bench-java.sh" 6g io.sparkvae.bench.VsPyTorchBenchmark "$@"; }
[[ -f "$out/data/punks-test.f32" ]] || java_main dump "$repo/data/raw" "$out/data" >&2
root="$out/root"
for conf in mnist-z20 punks-z2; do
  scripts/vae prepare --conf "conf/$conf.conf" --root "$root" --master 'local[2]' >&2
done

declare -A dim=([mnist]=784 [punks]=1728) nz=([mnist]=20 [punks]=2) conf=([mnist]=mnist-z20 [punks]=punks-z2)
declare -A epochs=([mnist]=$mnist_epochs [punks]=$punks_epochs)
results="$out/results.tsv"
: >"$results"

# Steady-state images/s of one run's JSON lines (scripts/bench/summarise.py says how).
rate() { "$python" scripts/bench/summarise.py rate "$1"; }

run() { # round dataset contender
  local r=$1 ds=$2 c=${3#before:} n e=${epochs[$2]} log="$out/logs/round$1-$2-$3.log" ips
  code=$repo
  [[ $3 == before:* ]] && code=$before
  n=$([[ $ds == mnist ]] && echo 50000 || echo 6000)
  mkdir -p "$out/logs"
  case "$c" in
    torch-*t)
      local t=${c#torch-}; t=${t%t}
      OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t "$python" scripts/bench/vae_torch.py train "$out/data/$ds-train.f32" \
        "${dim[$ds]}" "${nz[$ds]}" "$t" "$e" >"$log" 2>&1 ;;
    single-*t)
      local t=${c#single-}; t=${t%t}
      OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t java_main train "$repo/data/raw" "$ds" "${nz[$ds]}" "$t" "$e" >"$log" 2>&1 ;;
    stage-local\[*\])
      local w=${c#stage-local[}; w=${w%]}
      local set=(--set "train.epochs=$e" --set "run.name=bench-$ds-local$w")
      [[ $w == 1 ]] && set+=(--set train.workers=1)
      "$code/scripts/vae" train --conf "conf/${conf[$ds]}.conf" --root "$root" --master "local[$w]" "${set[@]}" --overwrite \
        >"$log" 2>&1
      cat "$root/runs/bench-$ds-local$w/metrics.jsonl" >>"$log" ;;
    is-torch-1t)
      OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$python" scripts/bench/vae_torch.py is "$out/data/$ds-test.f32" \
        "${dim[$ds]}" "${nz[$ds]}" 1 "$is_images" 1000 >"$log" 2>&1 ;;
    is-1t)
      OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java_main is "$repo/data/raw" "$ds" "${nz[$ds]}" 1 "$is_images" 1000 >"$log" 2>&1 ;;
    *) echo "bench-vs-pytorch.sh: unknown contender '$c'" >&2; exit 2 ;;
  esac
  if [[ $c == stage-* ]]; then
    ips=$(grep '^{"epoch"' "$log" | rate "$n")
  else
    ips=$(rate "$n" <"$log")
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$ds" "$3" "$ips" "$(cut -d' ' -f1 /proc/loadavg)" >>"$results"
  printf '# round %s %-6s %-23s %10s images/s  (load %s)\n' "$r" "$ds" "$3" "$ips" "$(cut -d' ' -f1 /proc/loadavg)" >&2
}

echo "# command: scripts/bench-vs-pytorch.sh $rounds  (MNIST_EPOCHS=$mnist_epochs PUNKS_EPOCHS=$punks_epochs IS_IMAGES=$is_images)"
echo "# started $(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo -dirty), load average $(cut -d' ' -f1-3 /proc/loadavg)"
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
