package io.sparkvae.scoring;

import io.sparkvae.model.AnomalyScore;
import java.util.Map;

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
 * @param anomaly        each computed {@link AnomalyScore} beyond the -ELBO, row for row
 */
public record BlockScores(float[][] latentMean, float[][] latentLogVar, double[] reconstruction, double[] kl,
                          double[] logLikelihood, float[][] decoded, Map<AnomalyScore, double[]> anomaly) {

    public int rows() {
        return reconstruction.length;
    }

    /** -ELBO of one row: reconstruction + KL. */
    public double negElbo(int row) {
        return reconstruction[row] + kl[row];
    }

    /** One row's {@code score}; the -ELBO always, another only when it was computed. */
    public double score(AnomalyScore score, int row) {
        if (score == AnomalyScore.NEG_ELBO) {
            return negElbo(row);
        }
        double[] values = anomaly.get(score);
        if (values == null) {
            throw new IllegalStateException(score.key() + " was not computed (not in the scoring settings)");
        }
        return values[row];
    }
}
