package io.sparkvae.evaluate;

import io.sparkvae.scoring.BlockSum;
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
        BlockSum t = BlockSum.total(blocks);
        int n = t.examples();
        if (n == 0) {
            throw new IllegalArgumentException("no examples were scored");
        }
        return new EvalMetrics(n, (t.reconstruction() + t.kl()) / n, t.reconstruction() / n, t.kl() / n, t.logLikelihoodIs() / n);
    }

    /** How much tighter the importance-sampled estimate is than the ELBO (non-negative when the bound holds). */
    public double isGap() {
        return logLikelihoodIs + negElbo;
    }
}
