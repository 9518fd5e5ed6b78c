#!/usr/bin/env bash
# Runs a benchmark main class from spark-jobs' test code (io.sparkvae.bench.*) the way failsafe runs the integration
# tests: after building the job jar, on the test classpath, with local-cluster's environment (see spark-jobs/pom.xml
# and LocalCluster) and spark-jobs/ as the working directory (the test helpers find the repository from there).
#   scripts/bench-java.sh HEAP MAIN_CLASS [ARGS...]      used by scripts/bench-train.sh, bench-memory.sh, bench-vs-pytorch.sh
# BENCH_SKIP_BUILD=1 skips the build (a caller that runs many mains builds once); BENCH_JAVA_OPTS adds JVM options.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
heap=$1 main=$2
shift 2
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$repo" && mvn -B -q -DskipTests package >/dev/null)  # -DskipTests still compiles the test classes
fi
launcher="$repo/spark-jobs/target/launcher"
cp="$repo/spark-jobs/target/test-classes:$repo/spark-jobs/target/classes:$(cat "$launcher/test-classpath.txt")"
export SPARK_HOME="$repo/spark-jobs/target" SPARK_TESTING=1 SPARK_SCALA_VERSION=2.12
cd "$repo/spark-jobs"
# shellcheck disable=SC2046 # word splitting of the JVM option list is intended
exec java -Xmx"$heap" $(cat "$launcher/jvm-options.txt") ${BENCH_JAVA_OPTS:-} -Dvae.jobJar="$repo/spark-jobs/target/spark-vae-jobs.jar" \
  -Dvae.launcherDir="$launcher" -cp "$cp" "$main" "$@"
