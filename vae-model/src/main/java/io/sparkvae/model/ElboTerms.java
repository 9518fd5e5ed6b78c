package io.sparkvae.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two terms of the per-example negative ELBO, in nats.
 *
 * @param reconstruction [n]: E_q[-log p(x|z)] (Bernoulli cross-entropy summed over pixels), Monte Carlo estimate
 * @param kl             [n]: KL(q(z|x) || N(0, I)), closed form
 * @param posterior      q(z|x) of the rows, computed on the way
 */
public record ElboTerms(INDArray reconstruction, INDArray kl, Posterior posterior) {

    /** Per-example -ELBO = reconstruction + kl, [n]. */
    public INDArray negElbo() {
        return reconstruction.add(kl);
    }
}
