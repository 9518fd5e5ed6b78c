package io.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder's Gaussian q(z|x) = N(mean, diag(exp(logVariance))) for a batch.
 *
 * @param mean        [n, latentSize]
 * @param logVariance [n, latentSize]
 */
public record Posterior(INDArray mean, INDArray logVariance) {
}
