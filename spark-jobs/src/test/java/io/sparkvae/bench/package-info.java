/** Benchmarks run as commands (scripts/bench-train.sh), not as tests: they print tables for docs/BENCHMARKS.md. */
package io.sparkvae.bench;
