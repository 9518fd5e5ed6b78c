package io.sparkvae.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.Vae;
import io.sparkvae.scoring.BlockScorer;
import io.sparkvae.scoring.BlockScores;
import io.sparkvae.scoring.ExampleScore;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.testing.LocalSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scoring on executors through a real local Spark session agrees with the model's single-process estimators. */
@Tag("spark")
class SplitScorerTest {
    /** Not a multiple of the block size, so the first and last blocks are partial: the awkward case. */
    private static final int FIRST_INDEX = 8050;
    private static final int N = 230;
    private static final long SEED = 42;
    private static final ScoringSettings SETTINGS = ScoringSettings.of(SEED, 2, 25);

    private static SparkSession spark;
    private static Vae vae;
    private static List<float[]> images;
    private static int[] labels;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("evaluate-scorer");
        vae = TinyModels.trained(784, 5, 2);
        images = TinyModels.mnist("t10k-images-idx3-ubyte", N);
        labels = TinyModels.mnistLabels("t10k-labels-idx1-ubyte", N);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private static Dataset<Row> split(int partitions, boolean withLabels) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            rows.add(ExampleRows.row(FIRST_INDEX + i, "test", withLabels ? labels[i] : null, images.get(i)));
        }
        return spark.createDataFrame(rows, ExampleRows.SCHEMA).repartition(partitions);
    }

    @Test
    void scoresEqualTheScoringPathInThisJvmOnTheSameBlocksBitForBit() {
        List<ExampleScore> scores;
        EvalMetrics m;
        try (ScoredSplit scored = SplitScorer.score(spark, split(3, true), vae, SETTINGS, 4)) {
            scores = sorted(scored);
            m = scored.metrics();
        }
        assertEquals(N, scores.size());

        // Reference: the same scorer in this JVM on the aligned blocks [8000,8100) [8100,8200) [8200,8280).
        BlockScorer reference = new BlockScorer(vae, SETTINGS);
        int done = 0;
        for (int blockStart = 8000; blockStart < FIRST_INDEX + N; blockStart += 100) {
            int from = Math.max(blockStart, FIRST_INDEX) - FIRST_INDEX;
            int to = Math.min(blockStart + 100, FIRST_INDEX + N) - FIRST_INDEX;
            BlockScores expected = reference.score(images.subList(from, to));
            for (int i = from; i < to; i++) {
                ExampleScore s = scores.get(i);
                assertEquals(FIRST_INDEX + i, s.index());
                assertEquals(labels[i], s.label());
                assertEquals(expected.reconstruction()[i - from], s.reconstruction(), 0.0, "reconstruction of " + s.index());
                assertEquals(expected.kl()[i - from], s.kl(), 0.0, "kl of " + s.index());
                assertEquals(expected.logLikelihood()[i - from], s.logLikelihoodIs(), 0.0, "log p(x) of " + s.index());
                assertArrayEquals(expected.latentMean()[i - from], s.latentMean(), "latent mean of " + s.index());
                done++;
            }
        }
        assertEquals(N, done);

        assertEquals(N, m.examples());
        assertEquals(scores.stream().mapToDouble(ExampleScore::negElbo).average().orElseThrow(), m.negElbo(), 1e-9);
        assertTrue(m.negElbo() > 50 && m.negElbo() < 600, "plausible -ELBO for MNIST: " + m.negElbo());
        assertTrue(m.logLikelihoodIs() >= -m.negElbo(), "IS estimate " + m.logLikelihoodIs() + " below the ELBO " + -m.negElbo());
    }

    @Test
    void anExamplesNoiseFollowsItsPixelsNotItsIndexOrBlock() {
        // The same images under other indices land in other blocks: the noise is the same (it is keyed by content), so
        // the scores agree up to the float rounding of other gemm shapes, and the closed-form KL nearly exactly.
        List<Row> shifted = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            shifted.add(ExampleRows.row(37 + 3 * i, "test", labels[i], images.get(i)));
        }
        List<ExampleScore> a;
        List<ExampleScore> b;
        try (ScoredSplit one = SplitScorer.score(spark, split(2, true), vae, SETTINGS, 2);
             ScoredSplit other = SplitScorer.score(spark, spark.createDataFrame(shifted, ExampleRows.SCHEMA), vae, SETTINGS, 3)) {
            a = sorted(one);
            b = sorted(other);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(a.get(i).reconstruction(), b.get(i).reconstruction(), 1e-3);
            assertEquals(a.get(i).kl(), b.get(i).kl(), 1e-4);
            assertEquals(a.get(i).logLikelihoodIs(), b.get(i).logLikelihoodIs(), 1e-3);
        }
    }

    @Test
    void elboOnlyScoresTheSameElboAndNoLogLikelihood() {
        try (ScoredSplit fullScores = SplitScorer.score(spark, split(2, false), vae, SETTINGS, 2);
             ScoredSplit elboScores = SplitScorer.score(spark, split(2, false), vae, SETTINGS.elboOnly(), 2)) {
            List<ExampleScore> full = sorted(fullScores);
            List<ExampleScore> elbo = sorted(elboScores);
            assertEquals(N, elbo.size());
            for (int i = 0; i < N; i++) {
                assertEquals(full.get(i).reconstruction(), elbo.get(i).reconstruction(), 0.0);
                assertEquals(full.get(i).kl(), elbo.get(i).kl(), 0.0);
                assertTrue(Double.isNaN(elbo.get(i).logLikelihoodIs()), "no IS estimate without importance samples");
            }
        }
    }

    @Test
    void theNumbersDoNotDependOnPartitioning() {
        List<ExampleScore> a;
        List<ExampleScore> b;
        try (ScoredSplit one = SplitScorer.score(spark, split(1, false), vae, SETTINGS, 1);
             ScoredSplit five = SplitScorer.score(spark, split(7, false), vae, SETTINGS, 5)) {
            a = sorted(one);
            b = sorted(five);
            assertEquals(one.metrics(), five.metrics(), "the means to the last bit");
        }
        assertEquals(a, b);
        assertNull(a.get(0).label());
        // A different run seed draws different noise: the seed really reaches the estimators.
        List<ExampleScore> c;
        try (ScoredSplit other = SplitScorer.score(spark, split(2, false), vae, ScoringSettings.of(SEED + 1, 2, 25), 2)) {
            c = sorted(other);
        }
        assertTrue(a.get(0).logLikelihoodIs() != c.get(0).logLikelihoodIs());
        assertEquals(a.get(0).kl(), c.get(0).kl(), 1e-6); // KL is closed form: seed-independent
    }

    @Test
    void aRepeatedIndexIsBadInputNamingIt() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(ExampleRows.row(FIRST_INDEX + Math.min(i, 3), "test", null, images.get(i)));
        }
        try (ScoredSplit scored = SplitScorer.score(spark, spark.createDataFrame(rows, ExampleRows.SCHEMA), vae, SETTINGS, 2)) {
            Throwable e = assertThrows(Exception.class, scored::metrics);
            while (e != null && !(e instanceof BadInputException)) {
                e = e.getCause(); // Spark wraps the executor's exception
            }
            assertNotNull(e, "no BadInputException among the causes");
            assertTrue(e.getMessage().contains("index " + (FIRST_INDEX + 3) + " more than once"), e.getMessage());
        }
    }

    /** Every score on the driver (fine for a test's few hundred), in ascending index order. */
    private static List<ExampleScore> sorted(ScoredSplit scored) {
        List<ExampleScore> all = new ArrayList<>(scored.scores().collect());
        all.sort(Comparator.comparingInt(ExampleScore::index));
        return all;
    }
}
