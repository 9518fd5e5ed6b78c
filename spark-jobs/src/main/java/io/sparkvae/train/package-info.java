/** Training on Spark: dl4j-spark parameter averaging over exported minibatches, per-epoch validation, checkpoints. */
package io.sparkvae.train;
