/** Creating Spark sessions the same way under scripts/vae, spark-submit and tests. */
package io.sparkvae.spark;
