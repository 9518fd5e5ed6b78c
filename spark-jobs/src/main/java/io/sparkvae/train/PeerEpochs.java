package io.sparkvae.train;

import io.sparkvae.spark.JobLabels;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import scala.reflect.ClassTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * The driver's side of epochs whose workers average among themselves: one barrier stage of {@link PeerEpochWorker}
 * tasks per epoch, then the epoch's -ELBO and costs summed in the order the driver's own loop sums them. An epoch that
 * fails among the peers (a lost executor fails a whole barrier stage, which Spark does not retry for a result stage; or
 * executors that cannot reach each other) is trained again by the driver's loop, which gives the same bits; after
 * {@value #MAX_FAILURES} such epochs the training stays with the driver's loop.
 */
final class PeerEpochs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerEpochs.class);
    static final int MAX_FAILURES = 3;

    private final JavaSparkContext jsc;
    private final Broadcast<WorkerSetup> setup;
    private final int workers;
    private final int frequency;
    private final String rendezvousHost;
    private PeerRendezvous rendezvous;
    private int failures;

    /** @param rendezvousHost the name the executors reach the driver by ({@code spark.driver.host}) */
    PeerEpochs(JavaSparkContext jsc, Broadcast<WorkerSetup> setup, int workers, int frequency, String rendezvousHost) {
        this.jsc = jsc;
        this.setup = setup;
        this.workers = workers;
        this.frequency = frequency;
        this.rendezvousHost = rendezvousHost;
    }

    /**
     * Whether the epoch can run among the workers now: more than one worker, every one of them on a free slot at once
     * (Spark would otherwise wait for slots and then fail the job), no dynamic allocation, and not too many failures.
     */
    boolean canRun(RoundPlan plan) {
        SparkContext sc = jsc.sc();
        if (workers < 2 || plan.rounds().isEmpty() || failures >= MAX_FAILURES
                || sc.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return false;
        }
        // Spark's own check before it runs a barrier stage (public in the bytecode, package-private in Scala).
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile()) >= workers;
    }

    /** The epoch fitted among the workers into {@code network}, or empty when it failed (the network is then untouched). */
    Optional<ParameterAveraging.EpochFit> fit(MultiLayerNetwork network, RoundPlan plan, int epoch, String epochLabel) {
        SparkContext sc = jsc.sc();
        if (rendezvous == null) {
            rendezvous = PeerRendezvous.open(rendezvousHost);
        }
        int rounds = plan.rounds().size();
        sc.setJobDescription(JobLabels.description(sc, epochLabel + ", " + rounds + (rounds == 1 ? " averaging round" : " averaging rounds")
                + " among " + workers + " workers"));
        long t0 = System.nanoTime();
        TrainingState current = TrainingState.of(network);
        Broadcast<TrainingState> start = jsc.broadcast(current);
        long t1 = System.nanoTime();
        String epochKey = PeerEpochWorker.epochKey(setup.value(), epoch);
        List<PeerEpochWorker.Share> shares;
        try {
            RDD<Integer> tasks = jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).rdd();
            ClassTag<PeerEpochWorker.Share> tag = ClassTag$.MODULE$.apply(PeerEpochWorker.Share.class);
            RDD<PeerEpochWorker.Share> epochRun = tasks.barrier().mapPartitions(new PeerEpochWorker(setup, start,
                    EpochEndStates.checksum(current), rendezvous.address(), workers, frequency, epoch), false, tag);
            shares = new JavaRDD<>(epochRun, tag).collect();
        } catch (Exception e) { // SparkException, checked in Scala's eyes only
            if (!(e instanceof SparkException)) {
                throw e;
            }
            failures++;
            rendezvous.takeEnd(epochKey);
            LOG.warn("epoch {}: the workers could not average among themselves ({}); the driver's loop trains the epoch{}", epoch,
                    e.getMessage() == null ? e : e.getMessage().lines().findFirst().orElse(""),
                    failures >= MAX_FAILURES ? " and the rest of the training" : "");
            return Optional.empty();
        } finally {
            start.destroy();
        }
        long t2 = System.nanoTime();
        TrainingState end = rendezvous.takeEnd(epochKey);
        if (end == null) {
            throw new IllegalStateException("epoch " + epoch + " succeeded among the workers but its state did not reach the driver");
        }
        end.applyTo(network);
        long t3 = System.nanoTime();
        // The driver's loop adds each round's workers in worker order, then the round to the epoch: the same sums here.
        double negElboSum = 0;
        long examples = 0;
        RoundCosts costs = RoundCosts.ofDriver((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        for (int r = 0; r < plan.rounds().size(); r++) {
            double roundNegElbo = 0;
            long roundExamples = 0;
            RoundCosts roundCosts = RoundCosts.NONE;
            for (PeerEpochWorker.Share share : shares) {
                roundNegElbo += share.negElboSums()[r];
                roundExamples += share.examples()[r];
                roundCosts = roundCosts.alongside(share.costs()[r]);
            }
            negElboSum += roundNegElbo;
            examples += roundExamples;
            costs = costs.plus(roundCosts);
        }
        return Optional.of(new ParameterAveraging.EpochFit(negElboSum, examples, plan.rounds().size(), costs));
    }

    @Override
    public void close() {
        if (rendezvous != null) {
            rendezvous.close();
        }
    }
}
