package io.sparkvae.train;

import io.sparkvae.spark.JobLabels;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Parameter averaging across Spark tasks, the algorithm of dl4j-spark's {@code ParameterAveragingTrainingMaster} with
 * the round loop owned here: each round, {@code workers} tasks start from the broadcast parameters and Adam state,
 * each fits up to {@code frequency} minibatches ({@link RoundWorker}), and the driver replaces the network's state by
 * their mean ({@link OrderedMean}, summed in worker order) and advances Adam's iteration count by the round's steps.
 *
 * <p>Owning the loop removes what dl4j-spark did around it every round: rebuilding each worker's network from a
 * serialized configuration ({@link WorkerNetworks} keeps them), shipping the state as INDArrays ({@link TrainingState}
 * ships bytes), a count of the minibatch files and a random split of them per epoch ({@link RoundPlan} cuts rounds from a
 * seeded order, so no Spark job is spent on it), and a reduction whose order followed task arrival. On a local master
 * the states do not travel at all: driver and tasks share the JVM ({@link InJvmHandoff}). On a cluster the workers
 * average among themselves ({@link PeerEpochWorker}): one Spark job and one broadcast per epoch instead of per round,
 * and no state through the driver in between. All three give the same bits.
 */
final class ParameterAveraging implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final Broadcast<WorkerSetup> setup;
    private final int workers;
    private final int frequency;
    private final long seed;
    private final boolean inJvm;
    /** The epochs the workers average among themselves, with {@link StateExchange#PEERS}; else null. */
    private final PeerEpochs peers;

    /** The outcome of one epoch of rounds. */
    record EpochFit(double negElboSum, long examples, int rounds, RoundCosts costs) {
        double meanNegElbo() {
            return examples == 0 ? Double.NaN : negElboSum / examples;
        }
    }

    /**
     * @param minibatches the training minibatch files (escaped URIs, {@link MinibatchExporter})
     * @param network     the network being trained (its configuration is broadcast once)
     * @param prefetch    minibatches a worker reads ahead of its steps (0: none)
     * @param cacheMegabytes heap each executor may fill with minibatches read ({@link MinibatchCache})
     */
    ParameterAveraging(JavaSparkContext jsc, MultiLayerNetwork network, List<String> minibatches, int workers, int frequency,
            int prefetch, int cacheMegabytes, long seed) {
        this(jsc, network, minibatches, workers, frequency, prefetch, cacheMegabytes, seed, StateExchange.defaultFor(jsc.sc()));
    }

    /** @param exchange how the states travel ({@link StateExchange#IN_JVM} only on a local master) */
    ParameterAveraging(JavaSparkContext jsc, MultiLayerNetwork network, List<String> minibatches, int workers, int frequency,
            int prefetch, int cacheMegabytes, long seed, StateExchange exchange) {
        if (exchange == StateExchange.IN_JVM && !jsc.sc().isLocal()) {
            throw new IllegalArgumentException("states can be handed over in the JVM only on a local master, not on "
                    + jsc.sc().master());
        }
        this.jsc = jsc;
        this.workers = workers;
        this.frequency = frequency;
        this.seed = seed;
        this.inJvm = exchange == StateExchange.IN_JVM;
        this.setup = jsc.broadcast(new WorkerSetup(UUID.randomUUID().toString(), network.getLayerWiseConfigurations().toJson(),
                List.copyOf(minibatches), prefetch, cacheMegabytes, seed));
        this.peers = exchange == StateExchange.PEERS
                ? new PeerEpochs(jsc, setup, workers, frequency, jsc.sc().conf().get("spark.driver.host")) : null;
    }

    /** Fits one epoch into {@code network}; its jobs are described as {@code <epochLabel>, averaging round r/R}. */
    EpochFit fitEpoch(MultiLayerNetwork network, int epoch, String epochLabel) {
        RoundPlan plan = RoundPlan.of(setup.value().minibatches().size(), workers, frequency, seed, epoch);
        if (peers != null && peers.canRun(plan)) {
            Optional<EpochFit> amongPeers = peers.fit(network, plan, epoch, epochLabel);
            if (amongPeers.isPresent()) {
                return amongPeers.get();
            }
        }
        SparkContext sc = jsc.sc();
        double negElboSum = 0;
        long examples = 0;
        int round = 0;
        RoundCosts costs = RoundCosts.NONE;
        TrainingState current = TrainingState.of(network); // then each round's mean, packed once
        for (int[][] assignment : plan.rounds()) {
            round++;
            sc.setJobDescription(JobLabels.description(sc, epochLabel + ", averaging round " + round + "/" + plan.rounds().size()));
            long t0 = System.nanoTime();
            String inJvmRound = inJvm ? setup.value().trainingId() + "/" + epoch + "/" + round : null;
            Broadcast<TrainingState> start = inJvm ? null : jsc.broadcast(current);
            if (inJvm) {
                InJvmHandoff.offerStart(inJvmRound, current);
            }
            long t1 = System.nanoTime();
            OrderedMean mean;
            try {
                mean = runRound(start, inJvmRound, epoch, assignment);
            } finally {
                if (inJvm) {
                    InJvmHandoff.clear(inJvmRound);
                } else {
                    start.destroy();
                }
            }
            long t2 = System.nanoTime();
            negElboSum += mean.negElboSum();
            examples += mean.examples();
            TrainingState next = mean.mean(current.iteration() + RoundPlan.steps(assignment));
            if (next != null) {
                current = next; // the driver's network needs it only after the last round
            }
            long t3 = System.nanoTime();
            costs = costs.plus(mean.costs()).plus(RoundCosts.ofDriver((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
        }
        current.applyTo(network);
        return new EpochFit(negElboSum, examples, round, costs);
    }

    private OrderedMean runRound(Broadcast<TrainingState> start, String inJvmRound, int epoch, int[][] assignment) {
        OrderedMean mean = new OrderedMean(assignment.length);
        RDD<int[]> tasks = jsc.parallelize(Arrays.asList(assignment), assignment.length).rdd();
        ClassTag<WorkerResult> tag = ClassTag$.MODULE$.apply(WorkerResult.class);
        jsc.sc().runJob(tasks, new RoundWorker(setup, start, inJvmRound, epoch), new Collect(mean, inJvmRound), tag);
        return mean;
    }

    /** Hands each task's result to the ordered mean as it arrives (on the driver; Spark calls it one at a time). */
    private static final class Collect extends AbstractFunction2<Object, WorkerResult, BoxedUnit> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final transient OrderedMean mean;
        private final String inJvmRound;

        Collect(OrderedMean mean, String inJvmRound) {
            this.mean = mean;
            this.inJvmRound = inJvmRound;
        }

        @Override
        public BoxedUnit apply(Object index, WorkerResult result) {
            int worker = (Integer) index;
            mean.accept(worker, inJvmRound == null ? result : result.withState(InJvmHandoff.takeResult(inJvmRound, worker)));
            return BoxedUnit.UNIT;
        }
    }

    /**
     * Also drops the kept networks and minibatches of this training from this JVM: on {@code local[*]} the executors
     * are the driver, and the stages after train would otherwise run beside up to {@code train.cache-mb} of them. An
     * executor JVM on a cluster drops them when the next training starts.
     */
    @Override
    public void close() {
        String trainingId = setup.value().trainingId();
        WorkerNetworks.release(trainingId);
        MinibatchCache.release(trainingId);
        EpochEndStates.release(trainingId);
        setup.destroy();
        if (peers != null) {
            peers.close();
        }
    }
}
