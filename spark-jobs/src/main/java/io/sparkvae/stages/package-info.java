/**
 * The pipeline's stages as plain functions of a {@link io.sparkvae.job.StageContext}: each reads its inputs from the
 * run's layout, skips when its output is complete, and calls the library packages to build and commit its output.
 * The command line, the pipeline and the experiments run them the same way.
 */
package io.sparkvae.stages;
