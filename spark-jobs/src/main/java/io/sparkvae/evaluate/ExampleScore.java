package io.sparkvae.evaluate;

import java.io.Serializable;

/**
 * One test example's scores, in nats.
 *
 * @param index           source index
 * @param label           MNIST digit, or null
 * @param reconstruction  E_q[-log p(x|z)] (Bernoulli cross-entropy), averaged over the ELBO's eps samples
 * @param kl              KL(q(z|x) || p(z))
 * @param logLikelihoodIs importance-sampled log p(x)
 */
public record ExampleScore(int index, Integer label, double reconstruction, double kl, double logLikelihoodIs)
        implements Serializable {

    /** -ELBO = reconstruction + KL. */
    public double negElbo() {
        return reconstruction + kl;
    }
}
