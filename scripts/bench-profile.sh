#!/usr/bin/env bash
# CPU profile of a training run, broken down by what the time went to (docs/BENCHMARKS.md, "Profile").
#
#   scripts/bench-profile.sh single DATASET [EPOCHS]            our SingleProcessTrainer, 1 thread (mnist nz=20, punks nz=2)
#   scripts/bench-profile.sh stage CONF [EPOCHS] [MASTER]       the train stage: scripts/vae train --conf conf/CONF.conf
#
# Samples every thread's CPU time with async-profiler (Maven Central's tools.profiler:async-profiler, its Linux
# library; event itimer, which needs no perf events), writes collapsed stacks to bench-out/profile/ and prints the
# breakdown of scripts/bench/profile_breakdown.py (for `single`: of the training loop's own stacks). Defaults: 3 epochs,
# local[2]. The stage run reuses the datasets under bench-out/vs-pytorch/root (scripts/bench-vs-pytorch.sh makes them).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
mode=${1:?usage: scripts/bench-profile.sh single DATASET [EPOCHS] | stage CONF [EPOCHS] [MASTER]}
what=${2:?usage: scripts/bench-profile.sh single DATASET [EPOCHS] | stage CONF [EPOCHS] [MASTER]}
epochs=${3:-3}
out="$repo/bench-out/profile"
mkdir -p "$out"
lib="$out/async-profiler/linux-x64/libasyncProfiler.so"
if [[ ! -f "$lib" ]]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:3.0 -DoutputDirectory="$out" >/dev/null
  (cd "$out" && mkdir -p async-profiler && cd async-profiler && unzip -q -o ../async-profiler-3.0.jar 'linux-x64/*')
fi
stacks="$out/$mode-$what-$(date -u +%Y%m%dT%H%M%S).collapsed"
agent="-agentpath:$lib=start,event=itimer,file=$stacks,collapsed"
echo "# command: scripts/bench-profile.sh $*   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
case "$mode" in
  single)
    nz=20; [[ $what == punks ]] && nz=2
    mvn -B -q -DskipTests package >/dev/null
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 BENCH_SKIP_BUILD=1 BENCH_JAVA_OPTS="$agent" "$repo/scripts/bench-java.sh" 6g \
      io.sparkvae.bench.VsPyTorchBenchmark train "$repo/data/raw" "$what" "$nz" 1 "$epochs" | grep '^{' >&2
    ;;
  stage)
    VAE_JAVA_OPTS="$agent" scripts/vae train --conf "conf/$what.conf" --root "$repo/bench-out/vs-pytorch/root" \
      --master "${4:-local[2]}" --set "train.epochs=$epochs" --set "run.name=profile-$what" --overwrite >&2
    ;;
  *) echo "bench-profile.sh: mode must be single or stage, got '$mode'" >&2; exit 2 ;;
esac
echo "# stacks: $stacks"
only=(); [[ $mode == single ]] && only=(--only SingleProcessTrainer.train)
python3 scripts/bench/profile_breakdown.py "$stacks" "${only[@]}"
