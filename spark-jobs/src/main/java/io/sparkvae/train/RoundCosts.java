package io.sparkvae.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where an epoch of averaging rounds spends its time, summed over rounds (seconds). On the driver: packing and
 * broadcasting the start state, the rounds' Spark jobs (wall time, launch to last result) and applying the mean. In the
 * tasks (summed over workers): setting a kept network to the start state, reading minibatches, the steps themselves,
 * and packing the result.
 */
record RoundCosts(double broadcast, double jobs, double apply, double workerSetup, double workerReads, double workerSteps,
        double workerPack) implements Serializable {

    static final RoundCosts NONE = new RoundCosts(0, 0, 0, 0, 0, 0, 0);

    RoundCosts plus(RoundCosts o) {
        return new RoundCosts(broadcast + o.broadcast, jobs + o.jobs, apply + o.apply, workerSetup + o.workerSetup,
                workerReads + o.workerReads, workerSteps + o.workerSteps, workerPack + o.workerPack);
    }

    /** The costs by name, for a stage's events line ({@code broadcast_s}, {@code round_jobs_s}, ...). */
    java.util.Map<String, Double> byName() {
        var m = new java.util.LinkedHashMap<String, Double>();
        m.put("broadcast_s", broadcast);
        m.put("round_jobs_s", jobs);
        m.put("averaging_s", apply);
        m.put("worker_setup_s", workerSetup);
        m.put("worker_reads_s", workerReads);
        m.put("worker_steps_s", workerSteps);
        m.put("worker_packing_s", workerPack);
        return m;
    }

    /** One line for the log: {@code driver: broadcast 0.12 s, jobs 3.90 s, apply 0.05 s; tasks: ...}. */
    String describe() {
        return String.format(Locale.ROOT, "driver: broadcast %.2f s, round jobs %.2f s, averaging %.2f s; tasks (summed): set-up %.2f s,"
                + " minibatch reads %.2f s, steps %.2f s, packing %.2f s", broadcast, jobs, apply, workerSetup, workerReads, workerSteps,
                workerPack);
    }
}
