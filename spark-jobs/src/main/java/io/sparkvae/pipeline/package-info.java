/**
 * {@code vae pipeline}: prepare -> train -> evaluate -> render in one JVM and one Spark application, each stage
 * run through its own command line (same options, exit codes and skip rules as when run alone).
 */
package io.sparkvae.pipeline;
