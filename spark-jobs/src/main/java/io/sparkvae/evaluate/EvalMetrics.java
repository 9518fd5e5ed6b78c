package io.sparkvae.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test-set means, in nats per image.
 *
 * @param examples        how many examples were scored
 * @param negElbo         mean -ELBO
 * @param reconstruction  mean reconstruction term (Bernoulli cross-entropy)
 * @param kl              mean KL(q(z|x) || p(z))
 * @param logLikelihoodIs mean importance-sampled log p(x)
 */
public record EvalMetrics(int examples, double negElbo, double reconstruction, double kl, double logLikelihoodIs) {

    /**
     * Means from the blocks' sums, added in block order: the same scores give bit-identical means whatever the
     * partitioning that produced them.
     */
    public static EvalMetrics of(List<BlockSum> blocks) {
        List<BlockSum> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(BlockSum::block));
        int n = 0;
        double rec = 0;
        double kl = 0;
        double ll = 0;
        for (BlockSum b : sorted) {
            n += b.examples();
            rec += b.reconstruction();
            kl += b.kl();
            ll += b.logLikelihoodIs();
        }
        if (n == 0) {
            throw new IllegalArgumentException("no examples were scored");
        }
        return new EvalMetrics(n, (rec + kl) / n, rec / n, kl / n, ll / n);
    }

    /** How much tighter the importance-sampled estimate is than the ELBO (non-negative when the bound holds). */
    public double isGap() {
        return logLikelihoodIs + negElbo;
    }
}
