package io.sparkvae.train;

import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.spark.TaskThreads;
import java.io.Serializable;
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
    private final int epoch;

    RoundWorker(Broadcast<WorkerSetup> setup, Broadcast<TrainingState> start, int epoch) {
        this.setup = setup;
        this.start = start;
        this.epoch = epoch;
    }

    /** Fits the partition's one element: the indices of this worker's minibatches. */
    @Override
    public WorkerResult apply(Iterator<int[]> partition) {
        int[] minibatches = partition.next();
        if (partition.hasNext()) {
            throw new IllegalStateException("an averaging task got more than one worker's minibatches");
        }
        return fit(setup.value(), start.value(), epoch, minibatches);
    }

    /** The round of one worker: outside Spark too (tests compare it with an independent recomputation). */
    static WorkerResult fit(WorkerSetup setup, TrainingState start, int epoch, int[] minibatches) {
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
            TrainingState end = examples == 0 ? start : TrainingState.of(net);
            long t3 = System.nanoTime();
            RoundCosts costs = RoundCosts.ofWorker((t1 - t0) / 1e9, reads / 1e9, (t2 - t1 - reads) / 1e9, (t3 - t2) / 1e9);
            return new WorkerResult(end, negElboSum, examples, costs);
        } finally {
            WorkerNetworks.giveBack(setup, worker);
        }
    }
}
