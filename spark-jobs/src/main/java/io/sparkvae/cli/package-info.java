/**
 * The {@code vae} command line, the project's only picocli layer: each command parses its options and calls the
 * stages, the pipeline, the experiment runner or the report writer. Exit codes 0 / 2 (bad input) / 1 (retryable).
 */
package io.sparkvae.cli;
