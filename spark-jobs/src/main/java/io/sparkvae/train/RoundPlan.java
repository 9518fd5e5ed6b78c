package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.model.SingleProcessTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Which minibatches each worker fits in each averaging round of one epoch. The epoch visits every minibatch once, in
 * an order drawn from the run seed and the epoch, cut into rounds of {@code workers x frequency} minibatches: worker
 * {@code w} of a round fits the {@code w}-th run of {@code frequency} of them. The last round's remainder is shared as
 * evenly as the count allows, so no worker idles while another fits a whole round alone. One worker has nothing to
 * average with, so its round is the whole epoch: a round costs a Spark job, a broadcast and the state sent back.
 *
 * <p>Nothing here depends on where or when a task runs, so a rerun, a resumed run and a run whose tasks were retried
 * fit the same minibatches in the same order.
 */
record RoundPlan(List<int[][]> rounds) {

    /**
     * @param minibatches how many minibatches the epoch has
     * @param workers     parallel workers per round
     * @param frequency   minibatches each worker fits between two averagings
     */
    static RoundPlan of(int minibatches, int workers, int frequency, long seed, int epoch) {
        if (minibatches < 0 || workers < 1 || frequency < 1) {
            throw new IllegalArgumentException("bad round plan: " + minibatches + " minibatches, " + workers + " workers, frequency "
                    + frequency);
        }
        int[] order = SingleProcessTrainer.permutation(minibatches, new Random(Seeds.of(seed, Seeds.Purpose.AVERAGING_ROUNDS, epoch)));
        List<int[][]> rounds = new ArrayList<>();
        int perRound = workers == 1 ? Math.max(1, minibatches) : workers * frequency;
        for (int from = 0; from < minibatches; from += perRound) {
            int size = Math.min(perRound, minibatches - from);
            int active = Math.min(workers, size);
            int[][] round = new int[active][];
            int at = from;
            for (int w = 0; w < active; w++) {
                int share = size / active + (w < size % active ? 1 : 0);
                round[w] = Arrays.copyOfRange(order, at, at + share);
                at += share;
            }
            rounds.add(round);
        }
        return new RoundPlan(List.copyOf(rounds));
    }

    /** Adam's steps a round counts for its bias correction: its longest share (its last round may be short). */
    static int steps(int[][] round) {
        return Arrays.stream(round).mapToInt(share -> share.length).max().orElse(0);
    }
}
