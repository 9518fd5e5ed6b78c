package io.sparkvae.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where an epoch of averaging rounds spends its time, summed over rounds (seconds). On the driver: packing and
 * broadcasting the start state, the rounds' Spark jobs (wall time, launch to last result) and applying the mean. In the
 * tasks (summed over workers): fetching the broadcast start state (on a cluster: its bytes from the driver or other
 * executors, then deserialised), setting a kept network to it, reading minibatches, the steps themselves, and packing
 * the result. {@code slowestWorker} is the longest task's own time in each round (summed over rounds): a
 * round's job lasts that long plus what Spark adds around the tasks (launch, and carrying the results to the driver),
 * so {@code jobs - slowestWorker} is the round loop's overhead and the slowest minus the mean worker the imbalance.
 * When the workers average among themselves ({@link PeerMesh}) a job runs a whole epoch and {@code workerExchange} is
 * each worker's time in the rounds' exchanges, waiting for slower peers included; it is not part of {@code slowestWorker}.
 */
record RoundCosts(double broadcast, double jobs, double apply, double workerFetch, double workerSetup, double workerReads,
        double workerSteps, double workerPack, double workerExchange, double slowestWorker) implements Serializable {

    static final RoundCosts NONE = new RoundCosts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** One worker's task-side costs in one round. */
    static RoundCosts ofWorker(double fetch, double setup, double reads, double steps, double pack) {
        return new RoundCosts(0, 0, 0, fetch, setup, reads, steps, pack, 0, fetch + setup + reads + steps + pack);
    }

    /** The driver's costs of one round (or, with the workers averaging among themselves, of one epoch). */
    static RoundCosts ofDriver(double broadcast, double jobs, double apply) {
        return new RoundCosts(broadcast, jobs, apply, 0, 0, 0, 0, 0, 0, 0);
    }

    /** These worker costs with {@code seconds} spent averaging with the other workers. */
    RoundCosts withExchange(double seconds) {
        return new RoundCosts(broadcast, jobs, apply, workerFetch, workerSetup, workerReads, workerSteps, workerPack, workerExchange + seconds,
                slowestWorker);
    }

    /** These worker costs with {@code seconds} more spent packing the state (part of the worker's own time). */
    RoundCosts withPacking(double seconds) {
        return new RoundCosts(broadcast, jobs, apply, workerFetch, workerSetup, workerReads, workerSteps, workerPack + seconds, workerExchange,
                slowestWorker + seconds);
    }

    /** Both summed (rounds one after the other). */
    RoundCosts plus(RoundCosts o) {
        return new RoundCosts(broadcast + o.broadcast, jobs + o.jobs, apply + o.apply, workerFetch + o.workerFetch,
                workerSetup + o.workerSetup, workerReads + o.workerReads, workerSteps + o.workerSteps, workerPack + o.workerPack,
                workerExchange + o.workerExchange, slowestWorker + o.slowestWorker);
    }

    /** Another worker of the same round: task costs summed, the slowest kept. */
    RoundCosts alongside(RoundCosts o) {
        RoundCosts sum = plus(o);
        return new RoundCosts(sum.broadcast, sum.jobs, sum.apply, sum.workerFetch, sum.workerSetup, sum.workerReads, sum.workerSteps,
                sum.workerPack, sum.workerExchange, Math.max(slowestWorker, o.slowestWorker));
    }

    /** The costs by name, for a stage's events line ({@code broadcast_s}, {@code round_jobs_s}, ...). */
    java.util.Map<String, Double> byName() {
        var m = new java.util.LinkedHashMap<String, Double>();
        m.put("broadcast_s", broadcast);
        m.put("round_jobs_s", jobs);
        m.put("averaging_s", apply);
        m.put("worker_fetch_s", workerFetch);
        m.put("worker_setup_s", workerSetup);
        m.put("worker_reads_s", workerReads);
        m.put("worker_steps_s", workerSteps);
        m.put("worker_packing_s", workerPack);
        m.put("worker_exchange_s", workerExchange);
        m.put("slowest_worker_s", slowestWorker);
        return m;
    }

    /** One line for the log: {@code driver: broadcast 0.12 s, jobs 3.90 s (slowest task 3.71 s), ...; tasks: ...}. */
    String describe() {
        return String.format(Locale.ROOT, "driver: broadcast %.2f s, round jobs %.2f s (their slowest tasks %.2f s), averaging %.2f s;"
                + " tasks (summed): start state fetched %.2f s, set-up %.2f s, minibatch reads %.2f s, steps %.2f s, packing %.2f s, exchange with peers %.2f s",
                broadcast, jobs, slowestWorker, apply, workerFetch, workerSetup, workerReads, workerSteps, workerPack, workerExchange);
    }
}
