package io.sparkvae.ml;

import io.sparkvae.dataset.PixelColumn;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Spark ML's conventions: {@link VaeEvaluator} in a real TrainValidationSplit, the shared Params, the hold-out column. */
@Tag("spark")
class ModelSelectionTest {
    private static SparkSession spark;
    private static Dataset<Row> train;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("ml-selection");
        Path dataset = StageRuns.shared().root().resolve("datasets/mnist-limit200");
        train = spark.read().parquet(dataset.resolve("train").toString());
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private static VaeEstimator small() {
        return new VaeEstimator().setLatentSize(2).setHiddenSizes(new int[] {16}).setEpochs(1).setBatchSize(50)
                .setWorkers(2).setAveragingFrequency(1).setSeed(3);
    }

    @Test
    void aTrainValidationSplitPicksTheLatentSizeWithTheLowerMeanNegElbo() {
        VaeEstimator estimator = small();
        ParamMap[] grid = new ParamGridBuilder().addGrid(estimator.latentSize(), new int[] {1, 4}).build();
        VaeEvaluator evaluator = new VaeEvaluator();
        assertFalse(evaluator.isLargerBetter());
        TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(estimator).setEstimatorParamMaps(grid)
                .setEvaluator(evaluator).setTrainRatio(0.75).setSeed(5).fit(train);

        double[] metrics = tvs.validationMetrics();
        assertEquals(2, metrics.length);
        for (double m : metrics) {
            assertTrue(Double.isFinite(m) && m > 50 && m < 1000, "mean -ELBO in nats: " + Arrays.toString(metrics));
        }
        int best = metrics[0] <= metrics[1] ? 0 : 1;
        VaeModel model = (VaeModel) tvs.bestModel();
        assertEquals(new int[] {1, 4}[best], model.vae().spec().latentSize(), Arrays.toString(metrics));
        // The metric is the mean of the model's own -ELBO column.
        Dataset<Row> scored = model.transform(train);
        double mean = scored.collectAsList().stream().mapToDouble(r -> r.<Double>getAs("neg_elbo")).average().orElseThrow();
        assertEquals(mean, evaluator.evaluate(scored), 1e-9 * Math.abs(mean));
    }

    @Test
    void theOutputColumnsSetOnTheEstimatorAreTheFittedModelsAndTheLogLikelihoodIsAMetric() {
        VaeModel model = small().setNegElboCol("score").setLatentLogVarCol("").setLogLikelihoodCol("ll").setIsSamples(5)
                .fit(train);
        assertEquals("score", model.getNegElboCol());
        assertEquals(5, model.getIsSamples());
        assertEquals(3L, model.getSeed());
        Dataset<Row> scored = model.transform(train);
        List<String> columns = List.of(scored.columns());
        assertTrue(columns.containsAll(List.of("latent_mean", "score", "ll")) && !columns.contains("latent_log_var"),
                columns.toString());

        VaeEvaluator ll = new VaeEvaluator().setMetricName(VaeEvaluator.LOG_LIKELIHOOD).setLogLikelihoodCol("ll");
        assertTrue(ll.isLargerBetter());
        double mean = scored.collectAsList().stream().mapToDouble(r -> r.<Double>getAs("ll")).average().orElseThrow();
        assertTrue(mean < 0, "log p(x) of binarised-range pixels: " + mean);
        assertEquals(mean, ll.evaluate(scored), 1e-9 * Math.abs(mean));

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new VaeEvaluator().setMetricName(VaeEvaluator.LOG_LIKELIHOOD).evaluate(scored));
        assertTrue(missing.getMessage().contains("'log_likelihood' for metric logLikelihood does not exist")
                && missing.getMessage().contains("logLikelihoodCol"), missing.getMessage());
    }

    @Test
    void theEstimatorAndTheModelShareOneSetOfParams() {
        Set<String> shared = Arrays.stream(VaeParams.class.getMethods())
                .filter(m -> m.getParameterCount() == 0 && Param.class.isAssignableFrom(m.getReturnType()))
                .map(m -> m.getName()).collect(Collectors.toSet());
        assertTrue(shared.containsAll(Set.of("inputCol", "indexCol", "negElboCol", "logLikelihoodCol", "seed")), shared.toString());
        Set<String> estimator = Arrays.stream(new VaeEstimator().params()).map(Param::name).collect(Collectors.toSet());
        assertTrue(estimator.containsAll(shared), "estimator lacks " + shared + " of " + estimator);
        assertTrue(estimator.containsAll(Set.of("latentSize", "validationFraction", "validationIndicatorCol", "checkpointDir",
                "earlyStoppingPatience", "earlyStoppingMinDelta")));
    }

    @Test
    void aValidationIndicatorColumnChoosesTheHeldOutRows() {
        Dataset<Row> marked = train.withColumn("is_val", col("index").mod(4).equalTo(0));
        int indicatorAt = TrainingExamples.indicatorAt(marked.schema(), "is_val", "test");
        PixelColumn pixels = PixelColumn.check(marked.schema(), "pixels", 784, null, "test");
        List<Row> examples = TrainingExamples.of(spark, marked, pixels, marked.schema().fieldIndex("index"), "index",
                TrainingExamples.HoldOut.byColumn(indicatorAt, "is_val"), 3).collectAsList();
        assertEquals(200, examples.size());
        for (Row r : examples) {
            int index = r.getAs(ExampleRows.INDEX);
            assertEquals(index % 4 == 0 ? TrainingExamples.VAL : TrainingExamples.TRAIN, r.getAs(ExampleRows.SPLIT), "row " + index);
        }
        // The default, stated in the Param's doc: a 10% hash hold-out.
        assertTrue(new VaeEstimator().validationFraction().doc().contains("default 0.1"));
        assertEquals(0.1, new VaeEstimator().getValidationFraction());

        IllegalArgumentException notBoolean = assertThrows(IllegalArgumentException.class,
                () -> small().setValidationIndicatorCol("index").fit(marked));
        assertTrue(notBoolean.getMessage().contains("'index' is int; expected boolean"), notBoolean.getMessage());
        // Every row marked held out leaves nothing to train on.
        Exception none = assertThrows(Exception.class,
                () -> small().setValidationIndicatorCol("is_val").fit(marked.withColumn("is_val", org.apache.spark.sql.functions.lit(true))));
        assertTrue(none.getMessage().contains("no rows to train on"), none.getMessage());
    }
}
