/**
 * The one scoring path: examples through the model's own estimators in blocks on the executors (latent posterior,
 * -ELBO and its parts, importance-sampled log p(x), reconstructions), each example's noise seeded from the run seed and
 * its own content, so its numbers never depend on its index or partition. Used by train's validation, the evaluate,
 * encode and render stages, and {@code io.sparkvae.ml.VaeModel}.
 */
package io.sparkvae.scoring;
