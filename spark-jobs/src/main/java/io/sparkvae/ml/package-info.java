/**
 * The trained model in Spark ML's terms: {@link io.sparkvae.ml.VaeModel}, a {@code Transformer} that appends latent
 * codes, -ELBO, reconstructions and log-likelihoods to a DataFrame of images (through the project's one scoring path),
 * and {@link io.sparkvae.ml.VaeEstimator}, which fits one with the train stage's parameter averaging; both compose in a
 * {@code Pipeline}, save and load. {@link io.sparkvae.ml.Encoding} is the encode stage's table.
 */
package io.sparkvae.ml;
