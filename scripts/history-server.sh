#!/usr/bin/env bash
# Spark's History Server over the event logs the stages keep with --event-log <uri> (or spark.eventLog.dir):
#   scripts/history-server.sh <uri> [port]      e.g. scripts/history-server.sh hdfs:///vae/spark-events
# then open http://localhost:<port>/ (default 18080); the REST API is under /api/v1/applications. Runs in the
# foreground until stopped, on plain java with the build's Spark jars (no Spark installation needed); with a Spark
# distribution the same is SPARK_HISTORY_OPTS=-Dspark.history.fs.logDirectory=<uri> $SPARK_HOME/sbin/start-history-server.sh.
# HDFS and other cluster file systems are reached through HADOOP_CONF_DIR, as with spark-submit.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
launcher="$repo/spark-jobs/target/launcher"
if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  [[ $# -ge 1 && ( "$1" == -h || "$1" == --help ) ]] && exit 0 || exit 2
fi
if [[ ! -f "$launcher/spark-classpath.txt" ]]; then
  echo "history-server.sh: building (mvn package, about a minute)..." >&2
  (cd "$repo" && mvn -B -q -DskipTests package) >&2
fi
# Spark's own jars (provided scope in spark-jobs/pom.xml): a complete Spark runtime.
cp="$(cat "$launcher/spark-classpath.txt")"
[[ -n "${HADOOP_CONF_DIR:-}" ]] && cp="$HADOOP_CONF_DIR:$cp"
# shellcheck disable=SC2046 # word splitting of the JVM option list is intended
exec java -Xmx"${VAE_HISTORY_MEMORY:-1g}" $(cat "$launcher/jvm-options.txt") -cp "$cp" \
  -Dspark.history.fs.logDirectory="$1" -Dspark.history.ui.port="${2:-18080}" \
  org.apache.spark.deploy.history.HistoryServer
