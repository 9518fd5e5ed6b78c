package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The workers' mean state, summed in worker order whatever order their results arrive in. */
class OrderedMeanTest {

    @Test
    void orderedMeanIsTheSameWhateverOrderResultsArriveIn() {
        java.util.Random r = new java.util.Random(1);
        WorkerResult[] results = new WorkerResult[5];
        for (int w = 0; w < results.length; w++) {
            float[] p = new float[257];
            float[] u = new float[514];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3)); // magnitudes that make order matter
            }
            for (int i = 0; i < u.length; i++) {
                u[i] = r.nextFloat();
            }
            results[w] = new WorkerResult(TrainingState.of(p, u, 0), r.nextDouble() * 1e4, 100, RoundCosts.NONE);
        }
        int[][] orders = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}};
        TrainingState first = null;
        double firstScore = 0;
        for (int[] order : orders) {
            OrderedMean mean = new OrderedMean(results.length);
            for (int w : order) {
                mean.accept(w, results[w]);
            }
            TrainingState state = mean.mean(10);
            if (first == null) {
                first = state;
                firstScore = mean.negElboSum();
            } else {
                assertArrayEquals(first.parameters(), state.parameters());
                assertArrayEquals(first.updaterState(), state.updaterState());
                assertEquals(firstScore, mean.negElboSum(), 0.0);
            }
        }
        // The data is such that arrival order would matter: summing in reverse gives other bits somewhere.
        float[] forward = new float[257];
        float[] backward = new float[257];
        for (int w = 0; w < results.length; w++) {
            float[] a = results[w].state().parameterValues();
            float[] b = results[results.length - 1 - w].state().parameterValues();
            for (int i = 0; i < forward.length; i++) {
                forward[i] += a[i];
                backward[i] += b[i];
            }
        }
        assertFalse(Arrays.equals(forward, backward), "the test data is sensitive to summation order");
    }

    @Test
    void workersWithoutMinibatchesDoNotWeighInAndEachWorkerReportsOnce() {
        WorkerResult fitted = new WorkerResult(TrainingState.of(new float[] {2f, 4f}, new float[] {1f, 1f, 1f, 1f}, 3), 10, 5, RoundCosts.NONE);
        WorkerResult idle = new WorkerResult(TrainingState.of(new float[] {100f, 100f}, new float[] {9f, 9f, 9f, 9f}, 3), 0, 0, RoundCosts.NONE);
        OrderedMean mean = new OrderedMean(2);
        mean.accept(1, idle);
        assertThrows(IllegalStateException.class, () -> mean.mean(4), "not every worker has reported");
        mean.accept(0, fitted);
        assertThrows(IllegalStateException.class, () -> mean.accept(0, fitted));
        TrainingState state = mean.mean(4);
        assertArrayEquals(new float[] {2f, 4f}, state.parameterValues());
        assertEquals(4, state.iteration());
        assertEquals(5, mean.examples());

        OrderedMean none = new OrderedMean(1);
        none.accept(0, idle);
        assertNull(none.mean(4), "a round where nobody fitted anything changes nothing");
    }
}
