package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.spark.SparkSessionFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter averaging on a real local Spark: one round's result equals the mean of what each worker produces from the
 * broadcast state, recomputed here independently; and a whole epoch gives the same bits whatever order the workers'
 * results arrive in (one core running them one after another, or three at once).
 */
@Tag("spark")
class ParameterAveragingTest {
    private static final long SEED = 42;
    private static final VaeSpec SPEC = new VaeSpec(12, List.of(8), 3, "relu", "xavier", "adam", 1e-2, 5);

    @TempDir
    Path dir;

    private static float[][] minibatch(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[20][12];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextFloat();
            }
        }
        return x;
    }

    private List<String> writeMinibatches(int n) throws IOException {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = dir.resolve("batch-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                MinibatchFile.write(minibatch(i + 1), out);
            }
            uris.add(file.toUri().toString());
        }
        return uris;
    }

    /** A network whose Adam state is warm, so averaging it is not trivially averaging zeros. */
    private static MultiLayerNetwork warmStart() {
        MultiLayerNetwork start = Vae.create(SPEC).network();
        start.fit(Vae.minibatch(Nd4j.create(minibatch(99))));
        return start;
    }

    @Test
    void aWorkerNetworkKeptFromAnEarlierShareStartsLikeAFreshOne() throws IOException {
        // The first round starts from a network that has taken no step (no Adam state). A task that borrows the network
        // an earlier task of the round gave back (one core, or a slow thread) must compute what a fresh network does.
        MultiLayerNetwork fresh = Vae.create(SPEC).network();
        TrainingState start = TrainingState.of(fresh);
        assertNull(start.updaterState(), "the case under test: a start state without Adam's state");
        WorkerSetup setup = new WorkerSetup("kept-networks", fresh.getLayerWiseConfigurations().toJson(), writeMinibatches(4), 0, 0, SEED);
        WorkerResult first = RoundWorker.fit(setup, start, 1, new int[] {0, 1}, 0);
        WorkerResult again = RoundWorker.fit(setup, start, 1, new int[] {0, 1}, 0); // borrows the network the first gave back
        WorkerNetworks.release("kept-networks");
        assertArrayEquals(first.state().parameters(), again.state().parameters(), "parameters, bit for bit");
        assertArrayEquals(first.state().updaterState(), again.state().updaterState(), "Adam's state, bit for bit");
        assertEquals(first.negElboSum(), again.negElboSum());
    }

    @Test
    void oneRoundAveragesParametersAndUpdaterStateOfTheWorkers() throws IOException {
        List<String> files = writeMinibatches(2);
        MultiLayerNetwork start = warmStart();
        INDArray startParams = start.params().dup();
        INDArray startState = start.getUpdater().getStateViewArray().dup();
        int startIteration = start.getLayerWiseConfigurations().getIterationCount();

        MultiLayerNetwork averaged = start.clone();
        ParameterAveraging.EpochFit fit;
        SparkSession spark = SparkSessionFactory.create("local[2]", "test-averaging", List.of());
        try (ParameterAveraging averaging = new ParameterAveraging(JavaSparkContext.fromSparkContext(spark.sparkContext()), averaged,
                files, 2, 1, 0, 1, SEED)) {
            fit = averaging.fitEpoch(averaged, 1, "epoch 1/1");
        } finally {
            spark.stop();
        }

        // Independently: each worker starts from the same state and fits its one minibatch with noise seeded by the run
        // seed, the epoch and the first (here the only) minibatch of its share.
        INDArray paramSum = Nd4j.zeros(startParams.dataType(), startParams.shape());
        INDArray stateSum = Nd4j.zeros(startState.dataType(), startState.shape());
        double negElboSum = 0;
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork worker = start.clone();
            worker.setParams(startParams.dup());
            worker.getUpdater().getStateViewArray().assign(startState);
            float[][] x = minibatch(i + 1);
            Nd4j.getRandom().setSeed(Seeds.of(SEED, Seeds.Purpose.TRAINING_NOISE, 1, i));
            worker.fit(Vae.minibatch(Nd4j.create(x)));
            paramSum.addi(worker.params());
            stateSum.addi(worker.getUpdater().getStateViewArray());
            negElboSum += worker.score() * x.length;
        }

        assertTrue(averaged.params().sub(startParams).norm2Number().doubleValue() > 1e-4, "training moved the parameters");
        assertTrue(averaged.getUpdater().getStateViewArray().sub(startState).norm2Number().doubleValue() > 1e-6,
                "training moved Adam's state (the state read back is the one the steps update)");
        assertEquals(0.0, averaged.params().sub(paramSum.divi(2)).amaxNumber().doubleValue(), 1e-6, "parameters are the workers' mean");
        assertEquals(0.0, averaged.getUpdater().getStateViewArray().sub(stateSum.divi(2)).amaxNumber().doubleValue(), 1e-6,
                "Adam state is the workers' mean");
        assertEquals(40, fit.examples(), "both minibatches were fitted");
        assertEquals(negElboSum / 40, fit.meanNegElbo(), 1e-9, "the epoch's -ELBO is the examples' mean");
        assertEquals(startIteration + 1, averaged.getLayerWiseConfigurations().getIterationCount(),
                "the round's step is counted (Adam's bias correction)");
    }

    @Test
    void anEpochGivesTheSameBitsWhateverOrderTheWorkersFinishIn() throws IOException {
        List<String> files = writeMinibatches(13);
        float[] sequential = epochOn("local[1]", files);
        float[] concurrent = epochOn("local[3]", files);
        assertTrue(sequential.length > 0);
        assertArrayEquals(sequential, concurrent, "3 workers run one after another and at once end in the same parameters");
    }

    @Test
    void statesHandedOverInTheJvmGiveTheSameBitsAsBroadcastOnes() throws IOException {
        List<String> files = writeMinibatches(13);
        float[] handedOver = epochOn("local[3]", files, StateExchange.IN_JVM);
        float[] broadcast = epochOn("local[3]", files, StateExchange.DRIVER);
        assertArrayEquals(broadcast, handedOver, "the in-JVM hand-over moves the same states as broadcasts and task results");
        assertEquals(0, InJvmHandoff.size(), "every round's states were dropped when it ended");
    }

    /** 13 minibatches, 3 workers, 2 each per round: the last round has a worker with nothing to fit. */
    @Test
    void workersAveragingAmongThemselvesGiveTheSameBitsAsTheDriver() throws IOException {
        List<String> files = writeMinibatches(13);
        List<ParameterAveraging.EpochFit> peerFits = new ArrayList<>();
        List<ParameterAveraging.EpochFit> driverFits = new ArrayList<>();
        float[] amongPeers = epochOn("local[3]", files, StateExchange.PEERS, peerFits);
        float[] throughDriver = epochOn("local[3]", files, StateExchange.DRIVER, driverFits);
        assertArrayEquals(throughDriver, amongPeers, "the peers' reduce-scatter and all-gather give the driver's mean");
        for (int e = 0; e < 2; e++) {
            assertTrue(peerFits.get(e).costs().workerExchange() > 0, "epoch " + (e + 1) + " ran among the peers");
            assertEquals(0.0, driverFits.get(e).costs().workerExchange(), "the driver's loop has no exchange among workers");
            assertEquals(driverFits.get(e).negElboSum(), peerFits.get(e).negElboSum(), "epoch " + (e + 1) + "'s -ELBO, summed alike");
            assertEquals(driverFits.get(e).examples(), peerFits.get(e).examples());
            assertEquals(driverFits.get(e).rounds(), peerFits.get(e).rounds());
        }
    }

    /** A training's first epoch: its start state has no Adam state yet, the workers' states after the round do. */
    @Test
    void peersGiveTheDriversBitsFromANetworkThatHasTakenNoStep() throws IOException {
        List<String> files = writeMinibatches(13);
        List<ParameterAveraging.EpochFit> peerFits = new ArrayList<>();
        float[] amongPeers = epochOn("local[3]", files, StateExchange.PEERS, peerFits, Vae.create(SPEC).network());
        float[] throughDriver = epochOn("local[3]", files, StateExchange.DRIVER, new ArrayList<>(), Vae.create(SPEC).network());
        assertArrayEquals(throughDriver, amongPeers, "the state the driver puts together from the workers' slices");
        for (int e = 0; e < 2; e++) {
            assertTrue(peerFits.get(e).costs().workerExchange() > 0, "epoch " + (e + 1) + " ran among the peers, not the fallback");
        }
    }

    @Test
    void peersFallBackToTheDriverWhenTheClusterCannotRunEveryWorkerAtOnce() throws IOException {
        List<String> files = writeMinibatches(13);
        List<ParameterAveraging.EpochFit> fits = new ArrayList<>();
        float[] onTwoSlots = epochOn("local[2]", files, StateExchange.PEERS, fits);
        assertEquals(0.0, fits.get(0).costs().workerExchange(), "3 workers do not fit 2 slots: the driver's loop ran");
        assertArrayEquals(epochOn("local[3]", files, StateExchange.IN_JVM), onTwoSlots);
    }

    /** Workers that cannot reach the driver's rendezvous: the epoch fails among them and the network is left as it was. */
    @Test
    void anEpochThatFailsAmongThePeersLeavesTheNetworkForTheDriversLoop() throws IOException {
        List<String> files = writeMinibatches(13);
        MultiLayerNetwork net = warmStart();
        float[] before = net.params().toFloatVector();
        SparkSession spark = SparkSessionFactory.create("local[3]", "test-peers-failing", List.of());
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            var setup = jsc.broadcast(new WorkerSetup("failing-peers", net.getLayerWiseConfigurations().toJson(), files, 0, 1, SEED));
            RoundPlan plan = RoundPlan.of(files.size(), 3, 2, SEED, 1);
            try (PeerEpochs peers = new PeerEpochs(jsc, setup, 3, 2, "rendezvous.invalid")) {
                for (int attempt = 1; attempt <= PeerEpochs.MAX_FAILURES; attempt++) {
                    assertTrue(peers.canRun(plan), "attempt " + attempt);
                    assertTrue(peers.fit(net, plan, 1, "epoch 1/1").isEmpty(), "the workers never met");
                }
                assertFalse(peers.canRun(plan), "after " + PeerEpochs.MAX_FAILURES + " failed epochs the driver's loop trains");
            }
        } finally {
            spark.stop();
        }
        assertArrayEquals(before, net.params().toFloatVector(), "a failed epoch leaves the driver's network as it was");
    }

    private static float[] epochOn(String master, List<String> files) {
        return epochOn(master, files, StateExchange.IN_JVM);
    }

    private static float[] epochOn(String master, List<String> files, StateExchange exchange) {
        return epochOn(master, files, exchange, new ArrayList<>());
    }

    private static float[] epochOn(String master, List<String> files, StateExchange exchange, List<ParameterAveraging.EpochFit> fits) {
        return epochOn(master, files, exchange, fits, warmStart());
    }

    private static float[] epochOn(String master, List<String> files, StateExchange exchange, List<ParameterAveraging.EpochFit> fits,
            MultiLayerNetwork net) {
        SparkSession spark = SparkSessionFactory.create(master, "test-averaging-order", List.of());
        try (ParameterAveraging averaging = new ParameterAveraging(JavaSparkContext.fromSparkContext(spark.sparkContext()), net, files,
                3, 2, 1, 1, SEED, exchange)) {
            fits.add(averaging.fitEpoch(net, 1, "epoch 1/2"));
            fits.add(averaging.fitEpoch(net, 2, "epoch 2/2"));
        } finally {
            spark.stop();
        }
        float[] params = net.params().toFloatVector();
        float[] state = net.getUpdater().getStateViewArray().toFloatVector();
        float[] all = new float[params.length + state.length];
        System.arraycopy(params, 0, all, 0, params.length);
        System.arraycopy(state, 0, all, params.length, state.length);
        return all;
    }
}
