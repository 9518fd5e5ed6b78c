package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.spark.TaskThreads;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One worker's share of an averaging round, run as a Spark task: from the round's broadcast start state it fits its
 * minibatches one step each, in the order the {@link RoundPlan} gives, and returns its state and the -ELBO it saw.
 *
 * <p>The round's noise (the VAE's eps for each step) is one stream seeded by the run seed, the epoch and the first
 * minibatch of this worker's share, which no other worker of the epoch starts with: the workers, which all start from
 * the same state, draw distinct noise, and a retried task draws the same. (Seeding every step instead cost 4% of
 * the step time.)
 */
final class RoundWorker extends AbstractFunction1<Iterator<int[]>, WorkerResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<WorkerSetup> setup;
    private final Broadcast<TrainingState> start;
    private final String inJvmRound;
    private final int epoch;

    /**
     * @param start      the round's start state as a broadcast, or null when the tasks run in the driver's JVM
     * @param inJvmRound the round's id for {@link InJvmHandoff} when they do (then the states go through it), else null
     */
    RoundWorker(Broadcast<WorkerSetup> setup, Broadcast<TrainingState> start, String inJvmRound, int epoch) {
        if ((start == null) == (inJvmRound == null)) {
            throw new IllegalArgumentException("a round's start state comes either broadcast or handed over in the JVM");
        }
        this.setup = setup;
        this.start = start;
        this.inJvmRound = inJvmRound;
        this.epoch = epoch;
    }

    /** Fits the partition's one element: the indices of this worker's minibatches. */
    @Override
    public WorkerResult apply(Iterator<int[]> partition) {
        int[] minibatches = partition.next();
        if (partition.hasNext()) {
            throw new IllegalStateException("an averaging task got more than one worker's minibatches");
        }
        long t0 = System.nanoTime();
        // On a cluster the broadcast state is fetched from the driver or other executors and deserialised.
        TrainingState startState = inJvmRound == null ? start.value() : InJvmHandoff.start(inJvmRound);
        WorkerResult result = fit(setup.value(), startState, epoch, minibatches, (System.nanoTime() - t0) / 1e9);
        if (inJvmRound == null) {
            return result;
        }
        InJvmHandoff.putResult(inJvmRound, TaskContext.get().partitionId(), result.state());
        return result.withoutState();
    }

    /**
     * The round of one worker: outside Spark too (tests compare it with an independent recomputation).
     *
     * @param fetchSeconds what getting {@code start} took, for the round's costs
     */
    static WorkerResult fit(WorkerSetup setup, TrainingState start, int epoch, int[] minibatches, double fetchSeconds) {
        try (Fitted fitted = fitKeeping(setup, start, epoch, minibatches, fetchSeconds)) {
            long t0 = System.nanoTime();
            TrainingState end = fitted.result().examples() == 0 ? start : TrainingState.of(fitted.net());
            return fitted.result().withState(end).withPacking((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * A worker that has fitted its share and still holds its network, so the state can be read in place
     * ({@link StateView#of(MultiLayerNetwork)}) before {@link #close} gives the network back.
     *
     * @param result the round's -ELBO, examples and costs, without a state
     */
    record Fitted(WorkerNetworks.Worker worker, WorkerSetup setup, WorkerResult result) implements AutoCloseable {
        MultiLayerNetwork net() {
            return worker.net();
        }

        @Override
        public void close() {
            WorkerNetworks.giveBack(setup, worker);
        }
    }

    /** {@link #fit} without taking the state out of the network: the caller reads it, then closes the result. */
    static Fitted fitKeeping(WorkerSetup setup, TrainingState start, int epoch, int[] minibatches, double fetchSeconds) {
        long t0 = System.nanoTime();
        TaskThreads.fitToTask();
        WorkerNetworks.Worker worker = WorkerNetworks.borrow(setup);
        MultiLayerNetwork net = worker.net();
        try {
            start.applyTo(net);
            long t1 = System.nanoTime();
            long reads = 0;
            double negElboSum = 0;
            long examples = 0;
            MinibatchReader reader = new MinibatchReader(setup.minibatches(), minibatches, setup.prefetch(), MinibatchCache.of(setup));
            if (minibatches.length > 0) {
                Nd4j.getRandom().setSeed(Seeds.of(setup.seed(), Seeds.Purpose.TRAINING_NOISE, epoch, minibatches[0]));
            }
            for (int i = 0; i < minibatches.length; i++) {
                long r0 = System.nanoTime();
                MinibatchFile.Minibatch batch = reader.next();
                reads += System.nanoTime() - r0;
                net.fit(Vae.minibatch(worker.input(batch)));
                negElboSum += net.score() * batch.rows();
                examples += batch.rows();
            }
            Nd4j.getExecutioner().commit();
            long t2 = System.nanoTime();
            RoundCosts costs = RoundCosts.ofWorker(fetchSeconds, (t1 - t0) / 1e9, reads / 1e9, (t2 - t1 - reads) / 1e9, 0);
            return new Fitted(worker, setup, new WorkerResult(null, negElboSum, examples, costs));
        } catch (RuntimeException | Error e) {
            WorkerNetworks.giveBack(setup, worker);
            throw e;
        }
    }
}
