/** The {@code vae} command line: one entry point for every stage, exit codes 0 / 2 (bad input) / 1 (retryable). */
package io.sparkvae.cli;
