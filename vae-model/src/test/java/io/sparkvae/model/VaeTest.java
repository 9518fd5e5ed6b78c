package io.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Inference API: shapes, determinism, input checks, and ELBO <= importance-sampled log p(x). */
class VaeTest {

    private static Vae trained;
    private static INDArray data;

    @BeforeAll
    static void trainBriefly() {
        data = TestData.images(1000, 21);
        trained = Vae.create(TestData.spec("relu"));
        new SingleProcessTrainer(trained, 50, 1).train(data, null, 15, null);
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
    }

    @Test
    void encodeDecodeShapesAndRanges() {
        INDArray x = rows(data, 0, 7);
        Posterior q = trained.encode(x);
        assertArrayEquals(new long[] {7, 4}, q.mean().shape());
        assertArrayEquals(new long[] {7, 4}, q.logVariance().shape());
        INDArray means = trained.decode(q.mean());
        assertArrayEquals(new long[] {7, TestData.SIZE}, means.shape());
        assertTrue(means.minNumber().doubleValue() >= 0 && means.maxNumber().doubleValue() <= 1);
        // decode(mu(x)) is what the network's output() computes.
        assertEquals(trained.network().output(x), means);
        // Training taught it to reconstruct: its error is well below an untrained model's.
        Vae untrained = Vae.create(TestData.spec("relu"));
        double error = Nd4j.math().abs(means.sub(x)).meanNumber().doubleValue();
        double untrainedError = Nd4j.math().abs(untrained.decode(untrained.encode(x).mean()).sub(x)).meanNumber().doubleValue();
        System.out.println("rec error " + error + " vs " + untrainedError);
        assertTrue(error < 0.5 * untrainedError, "reconstruction error " + error + " vs untrained " + untrainedError);
    }

    @Test
    void elboIsDeterministicPerSeedAndKlIsNonNegative() {
        INDArray x = rows(data, 0, 30);
        ElboTerms a = trained.elbo(x, 3, 42);
        ElboTerms b = trained.elbo(x, 3, 42);
        assertEquals(a.reconstruction(), b.reconstruction());
        assertEquals(a.kl(), b.kl());
        assertTrue(a.kl().minNumber().doubleValue() >= 0);
        assertEquals(a.reconstruction().add(a.kl()), a.negElbo());
        assertTrue(!a.reconstruction().equals(trained.elbo(x, 3, 43).reconstruction()), "another seed, other noise");
    }

    @Test
    void perRowNoiseDependsOnTheRowAloneNotOnItsBatch() {
        INDArray x = rows(data, 0, 12);
        long[] seeds = new long[12];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = Seeds.of(5, Seeds.Purpose.ELBO_NOISE, Seeds.contentKey(x.getRow(i).toFloatVector()));
        }
        ElboTerms whole = trained.elbo(x, 2, seeds);
        ElboTerms tail = trained.elbo(rows(x, 7, 12), 2, java.util.Arrays.copyOfRange(seeds, 7, 12));
        INDArray ll = trained.logLikelihood(x, whole.posterior(), 30, seeds);
        INDArray llTail = trained.logLikelihood(rows(x, 7, 12), null, 30, java.util.Arrays.copyOfRange(seeds, 7, 12));
        for (int i = 7; i < 12; i++) {
            // The same eps for row i in either batch: equal up to the float rounding of different gemm shapes.
            assertEquals(whole.reconstruction().getDouble(i), tail.reconstruction().getDouble(i - 7), 1e-3);
            assertEquals(whole.kl().getDouble(i), tail.kl().getDouble(i - 7), 1e-4);
            assertEquals(ll.getDouble(i), llTail.getDouble(i - 7), 1e-3);
            assertEquals(whole.posterior().mean().getDouble(i, 0), trained.encode(rows(x, i, i + 1)).mean().getDouble(0, 0), 1e-5);
        }
        // Other seeds, other noise: the reconstruction term moves, the closed-form KL does not.
        long[] other = seeds.clone();
        other[9]++;
        ElboTerms moved = trained.elbo(x, 2, other);
        assertTrue(Math.abs(moved.reconstruction().getDouble(9) - whole.reconstruction().getDouble(9)) > 1e-4);
        assertEquals(whole.reconstruction().getDouble(8), moved.reconstruction().getDouble(8), 0.0);
        assertEquals(whole.kl().getDouble(9), moved.kl().getDouble(9), 0.0);
        assertThrows(IllegalArgumentException.class, () -> trained.elbo(x, 1, new long[3]));
    }

    @Test
    void contentKeysTellExamplesApartAndIgnoreTheirPlace() {
        float[] a = rows(data, 0, 1).toFloatVector();
        float[] b = a.clone();
        assertEquals(Seeds.contentKey(a), Seeds.contentKey(b));
        b[40] = Math.nextUp(b[40]);
        assertTrue(Seeds.contentKey(a) != Seeds.contentKey(b), "one ulp in one pixel is another example");
        assertTrue(Seeds.contentKey(new float[] {0f, 1f}) != Seeds.contentKey(new float[] {1f, 0f}));
        assertTrue(Seeds.contentKey(new float[] {0f}) != Seeds.contentKey(new float[] {0f, 0f}));
    }

    @Test
    void elboLowerBoundsImportanceSampledLogLikelihoodAndTheGapShrinksWithK() {
        // A model after one short epoch: q(z|x) is still far from the true posterior, so the gap is many nats and
        // the differences between k are far above the Monte Carlo noise of 40 images.
        INDArray x = rows(data, 100, 140);
        Vae trained = Vae.create(TestData.spec("relu"));
        new SingleProcessTrainer(trained, 50, 2).train(data, null, 1, null);
        double elbo = -trained.elbo(x, 200, 5).negElbo().meanNumber().doubleValue();
        double ll1 = trained.logLikelihood(x, 1, 6).meanNumber().doubleValue();
        double ll10 = trained.logLikelihood(x, 10, 7).meanNumber().doubleValue();
        double ll100 = trained.logLikelihood(x, 100, 8).meanNumber().doubleValue();
        double ll2000 = trained.logLikelihood(x, 2000, 9).meanNumber().doubleValue();
        // k = 1 is a one-sample ELBO estimate.
        assertEquals(elbo, ll1, 1.0);
        String all = "elbo " + elbo + ", k=10 " + ll10 + ", k=100 " + ll100 + ", k=2000 " + ll2000;
        // Every IS estimate lies above the ELBO, and it rises with k: clearly from 1 to 10 to 100 samples; by k = 100 it
        // has nearly converged here, so k = 2000 must not fall below it by more than Monte Carlo noise.
        assertTrue(ll10 > elbo + 0.1 && ll100 > ll10 && ll2000 > ll100 - 0.05, all);
        // The remaining gap to the k = 2000 estimate shrinks as k grows.
        assertTrue(ll2000 - ll100 < 0.5 * (ll2000 - ll10) && ll2000 - ll10 < 0.5 * (ll2000 - elbo), all);
    }

    @Test
    void importanceSamplingGivesTheSameAnswerHoweverTheSamplesAreBlocked() {
        // k above the block size splits one image's samples over blocks; k below packs several images per block.
        INDArray x = rows(data, 0, 3);
        INDArray big = trained.logLikelihood(x, 2500, 1);
        for (int i = 0; i < 3; i++) {
            INDArray single = trained.logLikelihood(rows(x, i, i + 1), 2500, 1);
            if (i == 0) {
                assertEquals(big.getDouble(0), single.getDouble(0), 1e-4);
            }
            assertTrue(Math.abs(big.getDouble(i) - single.getDouble(0)) < 1.0, "same estimate up to Monte Carlo noise");
        }
    }

    @Test
    void nanOrInfInputIsRefusedNamingTheRow() {
        INDArray x = rows(data, 0, 10);
        x.putScalar(3, 5, Double.NaN);
        BadInputException e = assertThrows(BadInputException.class, () -> trained.encode(x));
        assertEquals("input contains NaN/Inf at row 3", e.getMessage());
        assertThrows(BadInputException.class, () -> trained.elbo(x, 1, 1));
        assertThrows(BadInputException.class, () -> trained.logLikelihood(x, 5, 1));

        INDArray y = rows(data, 0, 10);
        y.putScalar(7, 0, Double.POSITIVE_INFINITY);
        MultiLayerNetwork net = Vae.create(TestData.spec("relu")).network();
        INDArray before = net.params().dup();
        BadInputException fit = assertThrows(BadInputException.class, () -> net.fit(Vae.minibatch(y)));
        assertEquals("input contains NaN/Inf at row 7", fit.getMessage());
        assertEquals(before, net.params(), "a refused minibatch must not move the parameters");

        INDArray z = Nd4j.zeros(DataType.FLOAT, 2, 4);
        z.putScalar(1, 2, Double.NEGATIVE_INFINITY);
        assertEquals("input contains NaN/Inf at row 1", assertThrows(BadInputException.class, () -> trained.decode(z)).getMessage());
    }

    @Test
    void wrongShapesTypesAndRangesAreRefused() {
        assertTrue(assertThrows(BadInputException.class, () -> trained.encode(Nd4j.zeros(DataType.FLOAT, 2, 5)))
                .getMessage().contains("[n > 0, 64]"));
        assertTrue(assertThrows(BadInputException.class, () -> trained.encode(Nd4j.zeros(DataType.DOUBLE, 2, 64)))
                .getMessage().contains("FLOAT"));
        assertTrue(assertThrows(BadInputException.class, () -> trained.encode(Nd4j.ones(DataType.FLOAT, 2, 64).muli(2)))
                .getMessage().contains("[0, 1]"));
    }

    @Test
    void specValidatesEachFieldAndRoundTripsThroughAMap() {
        VaeSpec spec = new VaeSpec(784, List.of(500, 200), 20, "TANH", "normal", "adagrad", 0.01, 3);
        assertEquals("tanh", spec.activation());
        assertEquals(spec, VaeSpec.fromMap(spec.toMap()));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(0, List.of(5), 2, "relu", "xavier", "adam", 1e-3, 0))
                .getMessage().startsWith("inputSize"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(), 2, "relu", "xavier", "adam", 1e-3, 0))
                .getMessage().startsWith("hiddenSizes"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(5), 0, "relu", "xavier", "adam", 1e-3, 0))
                .getMessage().startsWith("latentSize"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(5), 2, "sigmoid", "xavier", "adam", 1e-3, 0))
                .getMessage().startsWith("activation"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(5), 2, "relu", "he", "adam", 1e-3, 0))
                .getMessage().startsWith("weightInit"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(5), 2, "relu", "xavier", "sgd", 1e-3, 0))
                .getMessage().startsWith("optimizer"));
        assertTrue(assertThrows(BadInputException.class, () -> new VaeSpec(5, List.of(5), 2, "relu", "xavier", "adam", -1, 0))
                .getMessage().startsWith("learningRate"));
        assertTrue(assertThrows(BadInputException.class, () -> VaeSpec.fromMap(Map.of("inputSize", 5, "hiddenSizes", List.of(3))))
                .getMessage().contains("latentSize"));
    }

    @Test
    void trainerReportsEveryEpochAndLearns() {
        INDArray train = TestData.images(800, 31);
        INDArray val = TestData.images(200, 32);
        Vae vae = Vae.create(TestData.spec("relu"));
        List<EpochMetrics> seen = new java.util.ArrayList<>();
        List<EpochMetrics> results = new SingleProcessTrainer(vae, 100, 3).train(train, val, 3, seen::add);
        assertEquals(results, seen);
        assertEquals(List.of(1, 2, 3), results.stream().map(EpochMetrics::epoch).toList());
        assertTrue(results.get(2).trainNegElbo() < results.get(0).trainNegElbo());
        assertTrue(results.get(2).valNegElbo() < results.get(0).valNegElbo());
        assertTrue(results.stream().allMatch(r -> r.seconds() > 0 && r.imagesPerSecond() > 0));
    }
}
