/**
 * {@code vae pipeline}: prepare -> train -> evaluate -> encode -> render -> generate -> export in one JVM and one Spark application, each stage run
 * in-process exactly as when run alone (same checks, skip rule, lock and exit code).
 */
package io.sparkvae.pipeline;
