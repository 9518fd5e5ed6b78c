package io.sparkvae.scoring;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One example's scores, in nats.
 *
 * @param index           source index
 * @param label           MNIST digit, or null
 * @param reconstruction  E_q[-log p(x|z)] (Bernoulli cross-entropy), averaged over the ELBO's eps samples
 * @param kl              KL(q(z|x) || p(z))
 * @param logLikelihoodIs importance-sampled log p(x) (NaN when not estimated)
 * @param latentMean      E[z|x]
 */
public record ExampleScore(int index, Integer label, double reconstruction, double kl, double logLikelihoodIs,
                           float[] latentMean) implements Serializable {

    /** -ELBO = reconstruction + KL. */
    public double negElbo() {
        return reconstruction + kl;
    }

    /** Equal when every field is, bit for bit (the latent mean by content). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExampleScore s && index == s.index && Objects.equals(label, s.label)
                && Double.compare(reconstruction, s.reconstruction) == 0 && Double.compare(kl, s.kl) == 0
                && Double.compare(logLikelihoodIs, s.logLikelihoodIs) == 0 && Arrays.equals(latentMean, s.latentMean);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, label, reconstruction, kl, logLikelihoodIs) * 31 + Arrays.hashCode(latentMean);
    }

    @Override
    public String toString() {
        return "ExampleScore[index=" + index + ", label=" + label + ", reconstruction=" + reconstruction + ", kl=" + kl
                + ", logLikelihoodIs=" + logLikelihoodIs + ", latentMean=" + Arrays.toString(latentMean) + "]";
    }
}
