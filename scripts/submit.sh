#!/usr/bin/env bash
# Submits one pipeline stage (or `pipeline`) to a Spark cluster with the job jar:
#   scripts/submit.sh <stage> [spark-submit options] -- [stage options]
# e.g.
#   scripts/submit.sh prepare --master spark://host:7077 --executor-memory 2g -- --conf conf/punks-z2.conf --root hdfs://nn:8020/vae
#   scripts/submit.sh pipeline --master yarn --deploy-mode cluster --num-executors 2 -- --conf hdfs:///vae/punks-z2.conf --root hdfs:///vae
#
# Which spark-submit runs it (VAE_SPARK_SUBMIT overrides: auto | java | <path to spark-submit>):
#   auto (default)  $SPARK_HOME/bin/spark-submit if present, else spark-submit on PATH, else java (below)
#   java            Spark's own SparkSubmit main class on plain java with the project's Spark jars (including spark-yarn,
#                   spark-jobs/target/launcher/spark-classpath.txt): no Spark distribution needed for local[...],
#                   spark:// (standalone) and yarn masters; Kubernetes needs a Spark distribution.
# Either way the job jar, --class io.sparkvae.cli.VaeMain and the Java 17 --add-opens flags for the driver, the
# executors and YARN's application master (spark.{driver,executor,yarn.am}.extraJavaOptions, merged into any you
# pass) are added for you. Hadoop settings (HDFS, YARN) come from HADOOP_CONF_DIR / YARN_CONF_DIR, as with spark-submit.
# YARN without a Spark distribution: the containers get Spark's jars from spark.yarn.jars; unless you pass it (or
# spark.yarn.archive), the build's jars are uploaded with every application (about 265 MB). Upload them once instead:
#   scripts/submit.sh --put-spark-jars hdfs:///apps/spark-vae/jars   (then --conf spark.yarn.jars=hdfs:///apps/spark-vae/jars/*.jar)
# VAE_JOB_JAR replaces the local job jar's location (e.g. local:///opt/vae/spark-vae-jobs.jar baked into a
# Kubernetes image, or hdfs:///apps/vae/spark-vae-jobs.jar for YARN cluster mode).
# Exit status: the stage's (docs/OPERATIONS.md#exit-codes; in cluster mode any failure is 1);
# 2 for bad usage of this script.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
launcher="$repo/spark-jobs/target/launcher"
jar="$repo/spark-jobs/target/spark-vae-jobs.jar"
main_class=io.sparkvae.cli.VaeMain

usage() { sed -n '2,25s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  usage
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi

build_if_missing() {
  if [[ ! -f "$jar" || ! -f "$launcher/spark-classpath.txt" || ! -f "$launcher/jvm-options.txt" ]]; then
    echo "submit.sh: building the job jar (mvn package, about a minute)..." >&2
    (cd "$repo" && mvn -B -q -DskipTests package) >&2
  fi
}
# The complete Spark runtime YARN containers start from: Spark's jars (provided scope, the libraries the job jar
# leaves to Spark among them; spark-jobs/pom.xml), colon-separated.
spark_runtime() { cat "$launcher/spark-classpath.txt"; }
hadoop_cp() { # the cluster's client configuration first, as spark-submit puts it
  local cp="$1"
  [[ -n "${HADOOP_CONF_DIR:-}" ]] && cp="$HADOOP_CONF_DIR:$cp"
  [[ -n "${YARN_CONF_DIR:-}" ]] && cp="$YARN_CONF_DIR:$cp"
  echo "$cp"
}

# --put-spark-jars <dir URI>: copies the build's Spark jars to a shared folder (hdfs dfs -put, with the build's own
# Hadoop client: no Hadoop installation needed), once per Spark version, for spark.yarn.jars=<dir>/*.jar.
if [[ "$1" == --put-spark-jars ]]; then
  [[ $# -eq 2 ]] || { echo "submit.sh: --put-spark-jars takes one folder URI, e.g. hdfs:///apps/spark-vae/jars" >&2; exit 2; }
  [[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] || {
    echo "submit.sh: --put-spark-jars needs HADOOP_CONF_DIR (the cluster's client configuration, core-site.xml)" >&2; exit 2; }
  build_if_missing
  IFS=: read -r -a spark_jars <<<"$(spark_runtime)"
  cp=$(hadoop_cp "$(cat "$launcher/spark-classpath.txt")")
  java -Xmx256m -cp "$cp" org.apache.hadoop.fs.FsShell -mkdir -p "$2"
  java -Xmx256m -cp "$cp" org.apache.hadoop.fs.FsShell -put -f "${spark_jars[@]}" "$2"
  echo "submit.sh: ${#spark_jars[@]} Spark jars in $2; submit with --conf spark.yarn.jars=$2/*.jar" >&2
  exit 0
fi

stage=$1
shift
case "$stage" in
  -*) echo "submit.sh: the first argument is the stage (prepare, train, evaluate, render, pipeline), got '$stage'" >&2; exit 2 ;;
esac

# Split: spark-submit options before '--', stage options after it.
submit_opts=()
stage_opts=()
seen_sep=0
for a in "$@"; do
  if ((seen_sep)); then stage_opts+=("$a")
  elif [[ "$a" == -- ]]; then seen_sep=1
  else submit_opts+=("$a")
  fi
done

build_if_missing
opens=$(tr -s '[:space:]' ' ' <"$launcher/jvm-options.txt" | sed 's/^ //; s/ $//')

# Merge the Java 17 flags into extraJavaOptions (a later --conf of the same key would replace, not add to, ours);
# remember what the plain-java driver must apply itself.
master="" deploy_mode="client" driver_mem="" driver_java_opts="" driver_cp=""
has_driver_opts=0 has_executor_opts=0 has_am_opts=0 has_yarn_jars=0
args=()
n=${#submit_opts[@]}
for ((i = 0; i < n; i++)); do
  a=${submit_opts[i]}
  next=${submit_opts[i + 1]:-}
  case "$a" in
    --conf|-c)
      case "$next" in
        spark.driver.extraJavaOptions=*) next="$next $opens"; has_driver_opts=1; driver_java_opts="${next#*=}" ;;
        spark.executor.extraJavaOptions=*) next="$next $opens"; has_executor_opts=1 ;;
        spark.yarn.am.extraJavaOptions=*) next="$next $opens"; has_am_opts=1 ;;
        spark.yarn.jars=*|spark.yarn.archive=*) has_yarn_jars=1 ;;
        spark.driver.memory=*) driver_mem=${next#*=} ;;
        spark.master=*) master=${next#*=} ;;
        spark.submit.deployMode=*) deploy_mode=${next#*=} ;;
      esac
      args+=("$a" "$next"); ((i += 1)) ;;
    --conf=*|-c=*)
      echo "submit.sh: write '--conf key=value' (two arguments), not '$a'" >&2; exit 2 ;;
    --master) master=$next; args+=("$a" "$next"); ((i += 1)) ;;
    --driver-memory) driver_mem=$next; args+=("$a" "$next"); ((i += 1)) ;;
    --driver-java-options) driver_java_opts="$driver_java_opts $next"; args+=("$a" "$next"); ((i += 1)) ;;
    --driver-class-path) driver_cp=$next; args+=("$a" "$next"); ((i += 1)) ;;
    --deploy-mode) deploy_mode=$next; args+=("$a" "$next"); ((i += 1)) ;;
    --class|--jars|--name|--executor-memory|--executor-cores|--num-executors|--total-executor-cores|\
    --queue|--files|--archives|--packages|--repositories|--exclude-packages|--properties-file|--keytab|--principal|\
    --proxy-user|--driver-cores|--driver-library-path|--py-files)
      args+=("$a" "$next"); ((i += 1)) ;;
    *) args+=("$a") ;;
  esac
done
((has_driver_opts)) || args+=(--conf "spark.driver.extraJavaOptions=$opens")
((has_executor_opts)) || args+=(--conf "spark.executor.extraJavaOptions=$opens")
# YARN's application master in client mode (in cluster mode it is the driver, which has the flags above).
[[ "$master" == yarn* ]] && ! ((has_am_opts)) && args+=(--conf "spark.yarn.am.extraJavaOptions=$opens")

mode=${VAE_SPARK_SUBMIT:-auto}
submit=""
case "$mode" in
  auto)
    if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then submit="$SPARK_HOME/bin/spark-submit"
    elif command -v spark-submit >/dev/null 2>&1; then submit=$(command -v spark-submit)
    fi ;;
  java) ;;
  *) [[ -x "$mode" ]] || { echo "submit.sh: VAE_SPARK_SUBMIT=$mode is not auto, java or an executable spark-submit" >&2; exit 2; }
     submit=$mode ;;
esac

if [[ "$master" == yarn* && -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]]; then
  echo "submit.sh: --master yarn needs HADOOP_CONF_DIR (or YARN_CONF_DIR): the folder whose core-site.xml and" \
    "yarn-site.xml name the cluster's NameNode and ResourceManager" >&2
  exit 2
fi

app_jar=${VAE_JOB_JAR:-$jar}
if [[ -n "$submit" ]]; then
  exec "$submit" "${args[@]}" --class "$main_class" "$app_jar" "$stage" "${stage_opts[@]}"
fi

case "$master" in
  k8s://*|mesos://*)
    echo "submit.sh: --master $master needs a Spark distribution's spark-submit (set SPARK_HOME or put spark-submit on PATH);" \
      "the plain-java SparkSubmit here has no Kubernetes support" >&2
    exit 2 ;;
  yarn*)
    if ! ((has_yarn_jars)); then
      # No Spark distribution on the cluster side either: the containers run Spark from these jars.
      echo "submit.sh: uploading the build's Spark jars with this application (spark.yarn.jars);" \
        "upload them once with 'scripts/submit.sh --put-spark-jars <dir>' and pass --conf spark.yarn.jars=<dir>/*.jar" >&2
      args+=(--conf "spark.yarn.jars=$(spark_runtime | tr ':' ',')")
    fi ;;
esac
# Client mode: the driver is this JVM, so its heap, JVM options and classpath are set here, as spark-submit would.
# Cluster mode: this JVM only submits and waits, and the driver's settings travel with the application.
[[ "$deploy_mode" == cluster ]] && driver_mem=512m
cp="$jar:$(cat "$launcher/spark-classpath.txt")"
[[ -n "$driver_cp" ]] && cp="$driver_cp:$cp"
cp=$(hadoop_cp "$cp")
# shellcheck disable=SC2086 # word splitting of the JVM option lists is intended
exec java -Xmx"${driver_mem:-${VAE_DRIVER_MEMORY:-2g}}" $opens $driver_java_opts -cp "$cp" \
  org.apache.spark.deploy.SparkSubmit "${args[@]}" --class "$main_class" "$app_jar" "$stage" "${stage_opts[@]}"
