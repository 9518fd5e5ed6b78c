package io.sparkvae.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The benchmark's metrics on cases worked out by hand. */
class OodMetricsTest {
    @Test
    void aPerfectScoreAndAReversedOne() {
        boolean[] outlier = {true, true, false, false, false};
        OodMetrics perfect = OodMetrics.of(new double[] {9, 8, 3, 2, 1}, outlier);
        assertEquals(new OodMetrics(1.0, 1.0, 0.0, 2, 2), perfect);
        OodMetrics reversed = OodMetrics.of(new double[] {1, 2, 3, 8, 9}, outlier);
        assertEquals(0.0, reversed.auroc(), 0.0);
        assertEquals(1.0, reversed.fprAt95(), 0.0);
        assertEquals(0, reversed.hitsInTopP());
        assertEquals((1 / 4.0 + 2 / 5.0) / 2, reversed.auprc(), 1e-12);
    }

    @Test
    void tiesCountHalfInTheAurocAndNeverFlatterTheRanking() {
        boolean[] outlier = {true, false, false};
        OodMetrics tied = OodMetrics.of(new double[] {5, 5, 1}, outlier);
        assertEquals((0.5 + 1) / 2, tied.auroc(), 1e-12); // one inlier tied (half), one below
        assertEquals(0.5, tied.auprc(), 1e-12);           // caught together with an inlier
        assertEquals(0, tied.hitsInTopP(), "the inlier of a tie ranks first");
        assertEquals(0.5, tied.fprAt95(), 0.0);
        assertEquals(0.0, OodMetrics.of(new double[] {Double.NaN, 1}, new boolean[] {true, false}).auroc(), 0.0, "NaN ranks lowest");
    }
}
