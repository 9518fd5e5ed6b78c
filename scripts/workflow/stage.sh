#!/usr/bin/env bash
# Runs one stage for the Snakemake workflow, keeping the stage contract's exit codes:
#   stage.sh <attempt> <state dir> <stage> [stage options...]
# Snakemake's `retries` retries every failure; exit 2 (bad input or config) will fail again, so when the previous
# attempt ended with 2 this attempt fails at once with 2 instead of rerunning the stage. Exit 1 reruns it.
# Exit 75 (another live run is writing the stage's output and holds its lock) is retried here, after a pause:
# VAE_LOCK_PAUSE seconds (default 30), up to VAE_LOCK_RETRIES times (default 20); once that run has finished, the
# stage finds its output complete and skips, or builds it.
set -uo pipefail
attempt=$1 state=$2 stage=$3
shift 3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
marker="$state/$stage.exit2"
pause=${VAE_LOCK_PAUSE:-30}
retries=${VAE_LOCK_RETRIES:-20}
mkdir -p "$state"
echo "== $(date -u +%FT%TZ) $stage, attempt $attempt" >&2
if ((attempt > 1)) && [[ -f "$marker" ]]; then
  echo "workflow: $stage: not retrying, the previous attempt exited 2 (bad input or config; see the error above)" >&2
  exit 2
fi
rm -f "$marker"
tries=0
while :; do
  "$repo/scripts/vae" "$stage" "$@"
  rc=$?
  if ((rc == 75 && tries < retries)); then
    tries=$((tries + 1))
    echo "workflow: $stage: its output is being written by another run (exit 75); retrying in ${pause}s ($tries/$retries)" >&2
    sleep "$pause"
    continue
  fi
  break
done
if ((rc == 2)); then
  touch "$marker"
fi
exit "$rc"
