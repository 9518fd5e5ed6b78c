package io.sparkvae.train;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker's whole epoch, run as a task of a barrier stage (all workers at once): it fits its share of every averaging
 * round ({@link RoundWorker#fit}) and averages with the other workers over a {@link PeerMesh} (they find each other
 * through the driver's {@link PeerRendezvous}), so the driver sends the start state once per epoch and gets one state
 * back, instead of both every round. The rounds, their minibatches, their noise and the order of the mean's sums are
 * those of the driver's loop, so both give the same bits. A JVM whose worker ended the previous epoch starts from the
 * state it kept ({@link EpochEndStates}) rather than the broadcast.
 */
final class PeerEpochWorker extends AbstractFunction1<Iterator<Integer>, Iterator<PeerEpochWorker.Share>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long CONNECT_TIMEOUT_MILLIS = 30_000;
    /** Where a task's workers meet while it fits its first round; daemon threads, as many as tasks at once. */
    private static final ExecutorService RENDEZVOUS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "peer-mesh-join");
        t.setDaemon(true);
        return t;
    });

    private final Broadcast<WorkerSetup> setup;
    private final Broadcast<TrainingState> start;
    private final long startChecksum;
    private final String rendezvous;
    private final int workers;
    private final int frequency;
    private final int epoch;

    /**
     * What one worker reports for its epoch: per round, the -ELBO sum and examples of its share and its costs. (The
     * epoch's final state goes to the driver's {@link PeerRendezvous} from worker 0.)
     */
    record Share(double[] negElboSums, long[] examples, RoundCosts[] costs) implements Serializable {}

    /** Under which key worker 0 hands epoch {@code epoch}'s final state to the driver. */
    static String epochKey(WorkerSetup setup, int epoch) {
        return setup.trainingId() + "/" + epoch;
    }

    /**
     * @param startChecksum the start state's {@link EpochEndStates#checksum}: a worker whose JVM kept the last epoch's end
     *                      with it takes that instead of fetching {@code start}
     * @param rendezvous    the driver's {@link PeerRendezvous} address
     */
    PeerEpochWorker(Broadcast<WorkerSetup> setup, Broadcast<TrainingState> start, long startChecksum, String rendezvous, int workers,
            int frequency, int epoch) {
        this.setup = setup;
        this.start = start;
        this.startChecksum = startChecksum;
        this.rendezvous = rendezvous;
        this.workers = workers;
        this.frequency = frequency;
        this.epoch = epoch;
    }

    /** The mesh once the workers have met, waiting in one-second steps so that a killed task stops waiting. */
    private static PeerMesh await(CompletableFuture<PeerMesh> joining, BarrierTaskContext context) {
        while (true) {
            try {
                return joining.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                context.killTaskIfInterrupted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the training workers met", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public Iterator<Share> apply(Iterator<Integer> partition) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int self = context.partitionId();
        WorkerSetup s = setup.value();
        long t0 = System.nanoTime();
        TrainingState kept = EpochEndStates.find(s.trainingId(), epoch - 1, startChecksum);
        TrainingState state = kept != null ? kept : start.value();
        double fetch = (System.nanoTime() - t0) / 1e9;
        List<int[][]> rounds = RoundPlan.of(s.minibatches().size(), workers, frequency, s.seed(), epoch).rounds();
        double[] negElboSums = new double[rounds.size()];
        long[] examples = new long[rounds.size()];
        RoundCosts[] costs = new RoundCosts[rounds.size()];
        String token = epochKey(s, epoch) + "/" + context.stageAttemptNumber();
        String host = SparkEnv.get().blockManager().blockManagerId().host();
        // The workers meet while they fit their first round.
        CompletableFuture<PeerMesh> joining = CompletableFuture.supplyAsync(() -> {
            try (PeerMesh.Listener listener = PeerMesh.Listener.open(host)) {
                List<String> addresses = PeerRendezvous.meet(rendezvous, token, self, workers, listener.address(), CONNECT_TIMEOUT_MILLIS,
                        context::isInterrupted);
                return listener.join(self, addresses, token, CONNECT_TIMEOUT_MILLIS, context::isInterrupted);
            }
        }, RENDEZVOUS);
        PeerMesh mesh = null;
        try {
            for (int r = 0; r < rounds.size(); r++) {
                int[][] assignment = rounds.get(r);
                int[] share = self < assignment.length ? assignment[self] : new int[0];
                WorkerResult result;
                long e0;
                try (RoundWorker.Fitted fitted = RoundWorker.fitKeeping(s, state, epoch, share, r == 0 ? fetch : 0)) {
                    result = fitted.result();
                    int iteration = state.iteration() + RoundPlan.steps(assignment);
                    e0 = System.nanoTime();
                    if (mesh == null) {
                        mesh = await(joining, context);
                    }
                    // The mesh reads this worker's state straight from its network, which it holds until then.
                    state = mesh.average(result.examples() > 0 ? StateView.of(fitted.net()) : null, state, iteration);
                }
                negElboSums[r] = result.negElboSum();
                examples[r] = result.examples();
                costs[r] = result.costs().withExchange((System.nanoTime() - e0) / 1e9);
            }
        } finally {
            if (mesh != null) {
                mesh.close();
            } else {
                joining.thenAccept(PeerMesh::close); // a mesh that forms after this task failed is closed at once
            }
        }
        if (self == 0) {
            PeerRendezvous.deliverEnd(rendezvous, epochKey(s, epoch), state);
        }
        EpochEndStates.keep(s.trainingId(), epoch, state);
        Share mine = new Share(negElboSums, examples, costs);
        return JavaConverters.asScalaIterator(List.of(mine).iterator());
    }
}
