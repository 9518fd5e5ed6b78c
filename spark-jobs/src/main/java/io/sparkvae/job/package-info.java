/**
 * What every stage runs with and the rules it follows, whoever runs it (the CLI, the pipeline, an experiment): the
 * {@link io.sparkvae.job.StageContext} (config, layout, files, the shared Spark application, the output lock), the
 * {@link io.sparkvae.job.Stage} role, the exit codes ({@link io.sparkvae.job.Failures}) and the console voice
 * ({@link io.sparkvae.job.StageLog}).
 */
package io.sparkvae.job;
