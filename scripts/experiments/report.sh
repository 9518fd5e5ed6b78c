#!/usr/bin/env bash
# Generates docs/REPRODUCTION.md and docs/img/reproduction/ from the sweeps' results (nothing else):
#   scripts/experiments/report.sh [--root URI] [--out DIR] [NAME...]
# Without names: every sweep with results under <root>/experiments (latent-sizes, activation-optimizer,
# depth-vs-width, adagrad-step first), each run with scripts/experiments/run.sh <name> before.
# Exit status: 0 written, 2 missing or bad results, 1 other.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec "$repo/scripts/vae" report "$@"
