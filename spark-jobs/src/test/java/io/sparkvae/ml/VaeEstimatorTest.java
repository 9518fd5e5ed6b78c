package io.sparkvae.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.train.TrainingInput;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VaeEstimator} fitting through the train stage's parameter averaging on a real local Spark session. */
@Tag("spark")
class VaeEstimatorTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("ml-estimator");
        Path dataset = StageRuns.shared().root().resolve("datasets/mnist-limit200");
        train = spark.read().parquet(dataset.resolve("train").toString());
        test = spark.read().parquet(dataset.resolve("test").toString());
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    /** Cheap settings: two workers averaging after every minibatch of 50. */
    private static VaeEstimator small() {
        return new VaeEstimator().setLatentSize(2).setHiddenSizes(new int[] {16}).setEpochs(1).setBatchSize(50)
                .setWorkers(2).setAveragingFrequency(1).setSeed(3);
    }

    @Test
    void aPipelineHoldingTheEstimatorFitsTransformsSavesAndLoads() throws Exception {
        // Vectors in a column of another name, no index column: a DataFrame as a user may have it.
        Dataset<Row> features = train.select(functions.array_to_vector(col("pixels")).as("features"));
        Dataset<Row> testFeatures = test.select(col("index"), functions.array_to_vector(col("pixels")).as("features"));
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {small().setInputCol("features")});
        PipelineModel fitted = pipeline.fit(features);

        VaeModel model = (VaeModel) fitted.stages()[0];
        assertEquals("features", model.getInputCol());
        assertEquals(784, model.vae().spec().inputSize());
        assertEquals(List.of(16), model.vae().spec().hiddenSizes());
        List<Row> out = fitted.transform(testFeatures).orderBy("index").collectAsList();
        assertEquals(200, out.size());
        for (Row r : out) {
            double negElbo = r.getAs("neg_elbo");
            assertTrue(Double.isFinite(negElbo) && negElbo > 0, "-ELBO " + negElbo);
            assertEquals(2, ((Vector) r.getAs("latent_mean")).size());
        }

        Path saved = tmp.resolve("pipeline");
        fitted.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        List<Row> again = loaded.transform(testFeatures).orderBy("index").collectAsList();
        assertEquals(out.toString(), again.toString());
        // The training summary is saved with the model (Spark ML's own models lose theirs).
        VaeTrainingSummary summary = model.summary();
        assertEquals(1, summary.totalEpochs());
        assertTrue(Double.isFinite(summary.trainNegElbo()[0]) && Double.isFinite(summary.validationNegElbo()[0]), summary.toString());
        assertEquals(summary, ((VaeModel) loaded.stages()[0]).summary());
    }

    @Test
    void aFitWithACheckpointDirKeepsItsFilesAndResumesWhereItStopped() throws Exception {
        Path dir = tmp.resolve("fit");
        VaeModel first = small().setCheckpointDir(dir.toString()).fit(train);
        List<EpochMetrics> one = EpochMetrics.parse(Files.readString(dir.resolve("metrics.jsonl")), "metrics.jsonl");
        assertEquals(1, one.size());
        assertTrue(Double.isFinite(one.get(0).valNegElbo()), "about 10% of the rows are held out and scored: " + one);
        assertTrue(Files.exists(dir.resolve("model/_SUCCESS")));
        assertTrue(Files.exists(dir.resolve("model/checkpoints/epoch-001")));

        // Two epochs into the same folder: epoch 1 comes from its checkpoint, only epoch 2 is trained.
        VaeModel second = small().setCheckpointDir(dir.toString()).setEpochs(2).fit(train);
        List<EpochMetrics> two = EpochMetrics.parse(Files.readString(dir.resolve("metrics.jsonl")), "metrics.jsonl");
        assertEquals(2, two.size());
        assertEquals(one.get(0), two.get(0));
        // The summary covers every epoch, the one resumed from its checkpoint too: exactly the training log.
        assertEquals(new VaeTrainingSummary(two, 2), second.summary());
        assertTrue(!first.vae().network().params().equals(second.vae().network().params()), "epoch 2 changed the model");
        // The folder is a model folder: VaeModel reads it back, as a run's model without a summary (as Spark ML's loaded models).
        VaeModel folder = VaeModel.load(dir.resolve("model").toString());
        assertEquals(second.vae().network().params(), folder.vae().network().params());
        assertFalse(folder.hasSummary());
        IllegalStateException none = assertThrows(IllegalStateException.class, folder::summary);
        assertTrue(none.getMessage().startsWith("VaeModel: no training summary"), none.getMessage());
    }

    @Test
    void earlyStoppingEndsTheFitAfterItsPatienceAndKeepsTheBestEpochsModel() {
        // No epoch improves on epoch 1 by a million nats: epoch 2 is one without improvement, and the fit ends there.
        VaeModel stopped = small().setEpochs(3).setEarlyStoppingPatience(1).setEarlyStoppingMinDelta(1e6).fit(train);
        VaeTrainingSummary summary = stopped.summary();
        assertEquals(2, summary.totalEpochs());
        assertEquals(1, summary.keptEpoch());
        assertTrue(java.util.Arrays.stream(summary.validationNegElbo()).allMatch(Double::isFinite), summary.toString());
        // The model kept is epoch 1's: the same bits as a one-epoch fit with the same seed.
        assertEquals(small().fit(train).vae().network().params(), stopped.vae().network().params());

        BadInputException none = assertThrows(BadInputException.class,
                () -> small().setEarlyStoppingPatience(1).setValidationFraction(0).fit(train));
        assertTrue(none.getMessage().startsWith("VaeEstimator: earlyStoppingPatience = 1 needs held-out rows"), none.getMessage());
    }

    @Test
    void paramsHaveTheJobConfigsDefaultsAreValidatedAndSaveAndLoad() {
        VaeEstimator e = new VaeEstimator();
        assertEquals(20, e.getLatentSize());
        assertArrayEquals(new int[] {500}, e.getHiddenSizes());
        assertEquals(30, e.getEpochs());
        assertEquals(100, e.getBatchSize());
        assertEquals(1e-3, e.getLearningRate());
        assertEquals(42L, e.getSeed());
        assertEquals(0, e.getEarlyStoppingPatience());
        assertEquals(0.0, e.getEarlyStoppingMinDelta());
        assertThrows(IllegalArgumentException.class, () -> e.setLearningRateScaling("cubic"));
        assertThrows(IllegalArgumentException.class, () -> e.setValidationFraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> e.setEpochs(0));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new VaeEstimator().setInputCol("image").fit(train));
        assertTrue(missing.getMessage().contains("'image' does not exist"), missing.getMessage());

        VaeEstimator custom = small().setLearningRateScaling("linear").setHiddenSizes(new int[] {64, 32});
        Path saved = tmp.resolve("estimator");
        try {
            custom.write().save(saved.toString());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        VaeEstimator back = VaeEstimator.load(saved.toString());
        assertEquals(custom.uid(), back.uid());
        assertEquals("linear", back.getLearningRateScaling());
        assertArrayEquals(new int[] {64, 32}, back.getHiddenSizes());
        assertEquals(custom.trainingInput(4), back.trainingInput(4));
        assertEquals(2e-3, back.trainingInput(4).train().workerLearningRate(), 1e-15);
    }

    @Test
    void theParamsBecomeTheTrainersTypedInputAndValuesTheConfigLoaderRefusesAreRefusedInOneLine() {
        TrainingInput input = small().setLearningRate(2e-3).setHiddenSizes(new int[] {64, 32}).trainingInput(7);
        JobConfig defaults = JobConfigLoader.load("", "defaults", "defaults", List.of());
        assertEquals(new JobConfig.Model(2, List.of(64, 32), defaults.model().activation(), defaults.model().init()), input.model());
        assertEquals(new JobConfig.Train(1, 50, defaults.train().optimizer(), 2e-3, "none", 2, 1, defaults.train().prefetch(), defaults.train().cacheMegabytes(),
                defaults.train().keepCheckpoints(), JobConfig.EarlyStopping.OFF), input.train());
        assertEquals(new JobConfig.EarlyStopping(2, 0.5),
                small().setEarlyStoppingPatience(2).setEarlyStoppingMinDelta(0.5).trainingInput(1).train().earlyStopping());
        assertEquals(3L, input.seed());
        assertEquals(7, input.partitions());
        // The config loader's ranges, in one line naming the Param; refused before any job.
        Map<String, VaeEstimator> refused = Map.of(
                "VaeEstimator: latentSize = 10001 is out of range [1, 10000]", small().setLatentSize(10_001),
                "VaeEstimator: hiddenSizes element 1 = 0 is out of range [1, 100000]", small().setHiddenSizes(new int[] {8, 0}),
                "VaeEstimator: hiddenSizes must not be empty", small().setHiddenSizes(new int[0]),
                "VaeEstimator: learningRate = 20 is out of range [1.0E-12, 10.0]", small().setLearningRate(20),
                "VaeEstimator: batchSize = 1000001 is out of range [1, 1000000]", small().setBatchSize(1_000_001),
                "VaeEstimator: earlyStoppingMinDelta = 2000000 is out of range [0.0, 1000000.0]", small().setEarlyStoppingMinDelta(2e6));
        refused.forEach((message, estimator) -> {
            BadInputException e = assertThrows(BadInputException.class, () -> estimator.fit(train));
            assertEquals(message, e.getMessage());
        });
    }
}
