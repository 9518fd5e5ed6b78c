#!/usr/bin/env bash
# Anomaly scores against known outliers (issue 26): AUROC, AUPRC, false-positive rate at 95% true positives and outliers
# among the top P for every score `vae encode` writes, in three cases:
#   Fashion-MNIST in / MNIST out   conf/fashion-mnist-z20.conf, its test split and MNIST's test split
#   MNIST in / Fashion-MNIST out   conf/mnist-z20.conf, its test split and Fashion-MNIST's test split
#   the punks' rare kinds          conf/punks-z20.conf, all 10,000 punks (train, val, test); aliens, apes and zombies
#                                  labelled by their skin colours on the sheet, with the model-free colour rarity
#                                  (max over an image's colours of -log(share of images having it)) and a Gaussian
#                                  mixture of the latent means printed beside as references
# Models are trained with the project's own commands (scripts/vae prepare/train) under ROOT and reused when complete;
# every encode is rerun (--overwrite), so the scores are the current code's.
#   scripts/bench-ood.sh [ROOT (default bench-out/ood)] [EPOCHS_MNISTS (default 10)] [EPOCHS_PUNKS (default 30)]
# BENCH_OOD_CASES picks cases (default "fashion mnist punks").
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
root=$(realpath -m "${1:-bench-out/ood}")
epochs=${2:-10}
epochs_punks=${3:-30}
cases=${BENCH_OOD_CASES:-fashion mnist punks}
vae=("$repo/scripts/vae")
master=(--root "$root" --master 'local[2]')
echo "# command: scripts/bench-ood.sh $root $epochs $epochs_punks   cases: $cases   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"

# prepare + train one config under run name <stem>-e<epochs> (both skip when their output is complete)
trained() {
  local stem=$1 e=$2
  "$repo/scripts/fetch-data.sh" "$(sed -n 's/^ *dataset *= *//p' "conf/$stem.conf" | head -1)" >&2
  "${vae[@]}" prepare --conf "conf/$stem.conf" "${master[@]}" >&2
  "${vae[@]}" train --conf "conf/$stem.conf" "${master[@]}" --set "run.name=$stem-e$e" --set "train.epochs=$e" >&2
}
encode() {
  local stem=$1 e=$2
  shift 2
  "${vae[@]}" encode --conf "conf/$stem.conf" "${master[@]}" --set "run.name=$stem-e$e" --overwrite "$@" >&2
}

fm=- mn=- pk=-
if [[ " $cases " == *" fashion "* || " $cases " == *" mnist "* ]]; then
  trained fashion-mnist-z20 "$epochs"
  trained mnist-z20 "$epochs"
fi
if [[ " $cases " == *" fashion "* ]]; then
  encode fashion-mnist-z20 "$epochs"
  encode fashion-mnist-z20 "$epochs" --set "encode.input=\"$root/datasets/mnist/test\"" --set encode.name=mnist-test
  fm=fashion-mnist-z20-e$epochs
fi
if [[ " $cases " == *" mnist "* ]]; then
  encode mnist-z20 "$epochs"
  encode mnist-z20 "$epochs" --set "encode.input=\"$root/datasets/fashion-mnist/test\"" --set encode.name=fashion-mnist-test
  mn=mnist-z20-e$epochs
fi
if [[ " $cases " == *" punks "* ]]; then
  trained punks-z20 "$epochs_punks"
  for split in train val test; do
    encode punks-z20 "$epochs_punks" --set "encode.split=$split"
  done
  pk=punks-z20-e$epochs_punks
fi
seed=$(sed -n 's/^seed *= *//p' conf/punks-z20.conf | head -1)
# scripts/vae built the job jar when it was older than the sources (mvn package, which compiles the test classes too)
BENCH_SKIP_BUILD=1 exec "$repo/scripts/bench-java.sh" 4g io.sparkvae.bench.OodBenchmark "$root" "$fm" "$mn" "$pk" "${seed:-42}"
