package io.sparkvae.experiments;

import io.sparkvae.config.JobConfig;
import java.util.List;

/**
 * One run of a sweep: a base job config plus overrides, already validated.
 *
 * @param name      the run name, prefixed with the experiment's ({@code latent-sizes-z3-paper})
 * @param label     its legend entry in the report ({@code nz=3})
 * @param group     runs of one group share a learning-curve chart in the report
 * @param base      the base config's URI
 * @param overrides {@code key=value} pairs in the order they apply (the sweep's, the run's own, the command line's,
 *                  then {@code run.name}), exactly what {@code vae pipeline --set} receives
 * @param config    the validated result
 */
public record ExperimentRun(String name, String label, String group, String base, List<String> overrides, JobConfig config) {}
