#!/usr/bin/env bash
# Benchmarks the VAE model (vae-model) on this machine: training speed against the gemm bound and DL4J's built-in
# VAE, importance-sampling speed, and (mode quality) test -ELBO after 1..N epochs on MNIST and CryptoPunks.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: scripts/bench-model.sh [speed [IS_IMAGES] | quality [EPOCHS] [RUNS]] [-- extra JVM options]

  speed    (default) one MNIST epoch (first 50,000 images, 784-500-20, batch 100, Adam 1e-3), steady-state
           images/s, the float32 gemm rate on the step's own shapes and the fraction of it reached, the built-in
           DL4J VariationalAutoencoder (pretrainLayer) images/s, and importance sampling images/s at K=1000
           (IS_IMAGES test images, default 100)
  quality  trains EPOCHS (default 30) and prints test -ELBO after every epoch as a markdown table;
           RUNS is a comma list of mnist, punks2, punks20 (default all three)

Needs data/raw/ (scripts/fetch-data.sh). Environment: ND4J_CLASSIFIER (default: the pom's nd4j.classifier),
OMP_NUM_THREADS. Exit status: 0 ok, 1 failure, 2 bad usage.
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:-speed}"
case "$MODE" in
    -h|--help) usage; exit 0 ;;
    speed|quality) shift || true ;;
    *) echo "bench-model.sh: unknown mode '$MODE' (expected speed or quality; see --help)" >&2; exit 2 ;;
esac
ARGS=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do ARGS+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
JVM_EXTRA=("$@")

if [ ! -f data/raw/mnist/train-images-idx3-ubyte ]; then
    echo "bench-model.sh: data/raw/mnist is missing; run scripts/fetch-data.sh first" >&2; exit 1
fi

MVN_PROPS=()
if [ -n "${ND4J_CLASSIFIER:-}" ]; then MVN_PROPS+=("-Dnd4j.classifier=$ND4J_CLASSIFIER"); fi
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -pl vae-model test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test \
    "${MVN_PROPS[@]}" >/dev/null
CP="vae-model/target/test-classes:vae-model/target/classes:$(cat "$CP_FILE")"
JAVA_OPTS=(-Xmx6g)
if [[ "${ND4J_CLASSIFIER:-}" == *avx512 ]]; then JAVA_OPTS+=(-Dorg.bytedeco.javacpp.platform.extension=-avx512); fi
if [[ "${ND4J_CLASSIFIER:-}" == *avx2 ]]; then JAVA_OPTS+=(-Dorg.bytedeco.javacpp.platform.extension=-avx2); fi
echo "# command: scripts/bench-model.sh $MODE ${ARGS[*]:-} (ND4J_CLASSIFIER=${ND4J_CLASSIFIER:-pom default}, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset})"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java "${JAVA_OPTS[@]}" "${JVM_EXTRA[@]}" -cp "$CP" io.sparkvae.model.ModelBenchmark "$MODE" "${ARGS[@]}"
