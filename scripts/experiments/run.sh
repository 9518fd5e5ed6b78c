#!/usr/bin/env bash
# Runs a named sweep of configs through the real pipeline and collects the results:
#   scripts/experiments/run.sh <name> [--root URI] [--master URL] [--set key=value]... [--plan]
# <name> is conf/experiments/<name>.conf (latent-sizes, activation-optimizer, depth-vs-width, adagrad-step) or a .conf
# path. Every run goes through `vae pipeline` (one Spark application for the whole sweep; local[*] by default);
# complete runs are skipped, so rerunning an interrupted sweep continues where it stopped. Results:
# <root>/experiments/<name>/results.json (default root ./work). --set applies to every run, after the sweep file.
# Fetches the raw data sets first when data/raw is incomplete. Exit status: 0 done, 2 bad sweep/config/input, 1 other.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "${1:-}" in
  ""|-h|--help) exec "$repo/scripts/vae" experiment --help ;;
esac
if [[ "$(pwd -P)" == "$(cd "$repo" && pwd -P)" ]]; then
  for f in mnist/train-images-idx3-ubyte mnist/train-labels-idx1-ubyte mnist/t10k-images-idx3-ubyte mnist/t10k-labels-idx1-ubyte punks/punks.png; do
    if [[ ! -f "$repo/data/raw/$f" ]]; then
      echo "run.sh: data/raw/$f is missing; fetching the data sets first" >&2
      "$repo/scripts/fetch-data.sh" all >&2
      break
    fi
  done
fi
exec "$repo/scripts/vae" experiment "$@"
