package io.sparkvae.scoring;

/**
 * The model's answers for the rows of one block, row for row, in nats where scores.
 *
 * @param latentMean     E[z|x], [rows][nz]
 * @param latentLogVar   log Var[z|x], [rows][nz]
 * @param reconstruction E_q[-log p(x|z)] (Bernoulli cross-entropy) averaged over the eps draws
 * @param kl             KL(q(z|x) || p(z)), closed form
 * @param logLikelihood  importance-sampled log p(x), NaN without importance samples
 * @param decoded        decoder means at the posterior mean (the reconstruction picture), [rows][inputs], or null
 *                       when not asked for
 */
public record BlockScores(float[][] latentMean, float[][] latentLogVar, double[] reconstruction, double[] kl,
                          double[] logLikelihood, float[][] decoded) {

    public int rows() {
        return reconstruction.length;
    }

    /** -ELBO of one row: reconstruction + KL. */
    public double negElbo(int row) {
        return reconstruction[row] + kl[row];
    }
}
