package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How an epoch's minibatches are cut into averaging rounds. */
class RoundPlanTest {

    @ParameterizedTest(name = "{0} minibatches, {1} workers, frequency {2}")
    @CsvSource({"450, 2, 50", "100, 2, 50", "7, 3, 2", "1, 4, 10", "0, 2, 5", "61, 8, 3", "0, 1, 5"})
    void everyMinibatchIsFittedOnceAndRoundsAreFullButTheLast(int minibatches, int workers, int frequency) {
        RoundPlan plan = RoundPlan.of(minibatches, workers, frequency, 7, 3);
        BitSet seen = new BitSet();
        List<int[][]> rounds = plan.rounds();
        for (int r = 0; r < rounds.size(); r++) {
            int[][] round = rounds.get(r);
            assertTrue(round.length <= workers);
            int smallest = Integer.MAX_VALUE;
            int largest = 0;
            for (int[] share : round) {
                assertTrue(share.length >= 1 && share.length <= frequency, "a worker fits 1 to frequency minibatches");
                smallest = Math.min(smallest, share.length);
                largest = Math.max(largest, share.length);
                for (int m : share) {
                    assertFalse(seen.get(m), "minibatch " + m + " fitted twice");
                    seen.set(m);
                }
            }
            if (r < rounds.size() - 1) {
                assertEquals(workers, round.length, "every round but the last has all workers");
                assertEquals(frequency, smallest, "every round but the last is full");
            }
            assertTrue(largest - smallest <= 1, "a round's minibatches are shared evenly");
        }
        assertEquals(minibatches, seen.cardinality(), "the epoch visits every minibatch");
    }

    @Test
    void aSingleWorkersRoundIsTheWholeEpoch() {
        RoundPlan plan = RoundPlan.of(450, 1, 50, 7, 3);
        assertEquals(1, plan.rounds().size(), "nothing to average with: one round, one job");
        assertEquals(450, plan.rounds().get(0)[0].length);
        assertTrue(same(plan, RoundPlan.of(450, 1, 7, 7, 3)), "the frequency does not matter to one worker");
    }

    @Test
    void theOrderDependsOnSeedAndEpochOnly() {
        assertTrue(same(RoundPlan.of(100, 2, 5, 7, 3), RoundPlan.of(100, 2, 5, 7, 3)));
        assertFalse(same(RoundPlan.of(100, 2, 5, 7, 3), RoundPlan.of(100, 2, 5, 7, 4)), "each epoch has its own order");
        assertFalse(same(RoundPlan.of(100, 2, 5, 7, 3), RoundPlan.of(100, 2, 5, 8, 3)), "each seed has its own order");
    }

    @Test
    void aRoundCountsTheStepsOfItsLongestShare() {
        RoundPlan plan = RoundPlan.of(13, 3, 2, 7, 1); // two full rounds of 3 x 2, then 1 minibatch for one worker
        assertEquals(List.of(2, 2, 1), plan.rounds().stream().map(RoundPlan::steps).toList());
        assertEquals(0, RoundPlan.steps(new int[0][]));
    }

    private static boolean same(RoundPlan a, RoundPlan b) {
        if (a.rounds().size() != b.rounds().size()) {
            return false;
        }
        for (int i = 0; i < a.rounds().size(); i++) {
            if (!Arrays.deepEquals(a.rounds().get(i), b.rounds().get(i))) {
                return false;
            }
        }
        return true;
    }
}
