package io.sparkvae.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How well a score (higher: more unusual) separates outliers from inliers: AUROC (ties count half), AUPRC (average
 * precision, tied scores taken as one step), the false-positive rate at the first threshold that catches 95% of the
 * outliers, and how many outliers are among the top-scored as many rows as there are outliers.
 *
 * @param auroc      area under the ROC curve
 * @param auprc      average precision
 * @param fprAt95    inliers at or above the score that reaches 95% true positives, as a share of the inliers
 * @param hitsInTopP outliers among the P highest-scored rows, P the number of outliers (ties broken against them)
 * @param positives  P
 */
public record OodMetrics(double auroc, double auprc, double fprAt95, int hitsInTopP, int positives) {

    /** The metrics of {@code score} for the rows where {@code outlier} is true; NaN scores rank lowest. */
    public static OodMetrics of(double[] score, boolean[] outlier) {
        int n = score.length;
        double[] s = Arrays.stream(score).map(v -> Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v).toArray();
        // Highest first; among equal scores inliers first, so ties never flatter a score.
        Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.<Integer>comparingDouble(i -> -s[i])
                .thenComparing(i -> outlier[i])).toArray(Integer[]::new);
        int pos = 0;
        for (boolean o : outlier) {
            pos += o ? 1 : 0;
        }
        int neg = n - pos;
        double auc = 0; // sum over outliers of inliers strictly below plus half of those tied
        double ap = 0;
        double fpr = Double.NaN;
        int tp = 0;
        int fp = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            int tiedPos = 0;
            int tiedNeg = 0;
            while (j < n && s[order[j]] == s[order[i]]) {
                if (outlier[order[j]]) {
                    tiedPos++;
                } else {
                    tiedNeg++;
                }
                j++;
            }
            int negBelow = neg - fp - tiedNeg;
            auc += tiedPos * (negBelow + tiedNeg / 2.0);
            tp += tiedPos;
            fp += tiedNeg;
            if (tiedPos > 0) {
                ap += tiedPos * ((double) tp / (tp + fp));
            }
            if (Double.isNaN(fpr) && tp >= Math.ceil(0.95 * pos)) {
                fpr = (double) fp / neg;
            }
            i = j;
        }
        int hits = 0;
        for (int k = 0; k < pos; k++) {
            hits += outlier[order[k]] ? 1 : 0;
        }
        return new OodMetrics(auc / ((double) pos * neg), ap / pos, fpr, hits, pos);
    }
}
