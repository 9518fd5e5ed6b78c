/**
 * {@code vae report}: {@code docs/REPRODUCTION.md} and its charts, generated from the sweeps' {@code results.json}
 * alone, with a verdict on each of the reference implementation's claims computed from the numbers.
 */
package io.sparkvae.report;
