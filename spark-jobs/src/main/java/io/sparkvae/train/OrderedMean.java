package io.sparkvae.train;

import io.sparkvae.model.FloatBytes;
import java.nio.FloatBuffer;
import java.util.TreeMap;

/**
 * The workers' mean state, summed in worker order whatever order their results arrive in. Floating-point addition is
 * not associative, so adding results as tasks finish would make the averaged parameters, and everything trained from
 * them, depend on scheduling (a retried or preempted task arrives later). Results that arrive early wait until their
 * predecessors are in; in the usual case little waits, so the driver holds about one state besides the sum.
 */
final class OrderedMean {
    private final int workers;
    private final TreeMap<Integer, WorkerResult> waiting = new TreeMap<>();
    private int next;
    private int contributing;
    private float[] parameters;
    private float[] updaterState;
    private boolean updaterMissing;
    private double negElboSum;
    private long examples;
    private RoundCosts costs = RoundCosts.NONE;

    OrderedMean(int workers) {
        this.workers = workers;
    }

    /** Takes worker {@code index}'s result (each index once). */
    void accept(int index, WorkerResult result) {
        if (index < next || waiting.containsKey(index) || index >= workers) {
            throw new IllegalStateException("worker " + index + " of " + workers + " reported twice or out of range");
        }
        waiting.put(index, result);
        while (!waiting.isEmpty() && waiting.firstKey() == next) {
            add(waiting.pollFirstEntry().getValue());
            next++;
        }
    }

    private void add(WorkerResult r) {
        negElboSum += r.negElboSum();
        examples += r.examples();
        costs = costs.alongside(r.costs());
        if (r.examples() == 0) {
            return; // a worker without minibatches this round returns its start state: it must not weigh in
        }
        contributing++;
        TrainingState state = r.state();
        if (parameters == null) {
            parameters = state.parameterValues();
            updaterState = state.updaterValues();
            updaterMissing = updaterState == null;
            return;
        }
        addInto(parameters, state.parameters());
        if (state.updaterState() == null || updaterState == null) {
            updaterMissing = true;
            updaterState = null;
        } else {
            addInto(updaterState, state.updaterState());
        }
    }

    /**
     * Adds little-endian float bytes into {@code sum} where they lie (no float[] copy of a 10-30 MB state per worker).
     * {@link MeanSlice} does the same float operations a slice at a time, so the peers' mean has these bits.
     */
    private static void addInto(float[] sum, byte[] values) {
        if (sum.length * Float.BYTES != values.length) {
            throw new IllegalStateException("workers returned states of different sizes: " + sum.length + " vs "
                    + values.length / Float.BYTES);
        }
        FloatBuffer v = FloatBytes.asFloats(values);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v.get(i);
        }
    }

    /** Whether every worker has reported. */
    boolean complete() {
        return next == workers;
    }

    /** The mean state at {@code iteration}, or null when no worker fitted anything. */
    TrainingState mean(int iteration) {
        if (!complete()) {
            throw new IllegalStateException("only " + next + " of " + workers + " workers have reported");
        }
        if (contributing == 0) {
            return null;
        }
        divide(parameters, contributing);
        if (!updaterMissing) {
            divide(updaterState, contributing);
        }
        return TrainingState.of(parameters, updaterMissing ? null : updaterState, iteration);
    }

    private static void divide(float[] values, int n) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= n;
        }
    }

    double negElboSum() {
        return negElboSum;
    }

    long examples() {
        return examples;
    }

    /** The workers' costs, summed. */
    RoundCosts costs() {
        return costs;
    }
}
