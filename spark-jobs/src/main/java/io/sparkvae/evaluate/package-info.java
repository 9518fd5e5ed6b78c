/**
 * Test-set scoring on the executors: -ELBO (and its parts) and the importance-sampled log p(x), reproducible from the
 * run seed whatever the input partitioning, aggregated into {@code eval/metrics.json} and {@code per_example.parquet}.
 */
package io.sparkvae.evaluate;
