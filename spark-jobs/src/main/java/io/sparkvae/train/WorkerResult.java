package io.sparkvae.train;

import java.io.Serializable;

/**
 * One worker's round: its state after fitting its minibatches, and the sum of their -ELBO (minibatch mean times its
 * examples) and examples, added in the order it fitted them, and where its time went ({@link RoundCosts}, task side).
 */
record WorkerResult(TrainingState state, double negElboSum, long examples, RoundCosts costs) implements Serializable {

    /** This result without its state, which went another way ({@link InJvmHandoff}). */
    WorkerResult withoutState() {
        return new WorkerResult(null, negElboSum, examples, costs);
    }

    /** This result with {@code seconds} more of packing its state in its costs. */
    WorkerResult withPacking(double seconds) {
        return new WorkerResult(state, negElboSum, examples, costs.withPacking(seconds));
    }

    /** This result with {@code end} as its state. */
    WorkerResult withState(TrainingState end) {
        return new WorkerResult(end, negElboSum, examples, costs);
    }
}
