/** Training on Spark: parameter averaging over exported minibatches (rounds of our own), per-epoch validation, checkpoints. */
package io.sparkvae.train;
