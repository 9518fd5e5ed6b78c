package io.sparkvae.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.Json;
import io.sparkvae.model.AnomalyScore;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VaeModel} on a real local Spark session, against a run trained, evaluated and rendered by the stages. */
@Tag("spark")
class VaeModelTest {
    private static SparkSession spark;
    private static Path root;
    private static Dataset<Row> test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("ml-model");
        root = StageRuns.trained().root();
        test = spark.read().parquet(root.resolve("datasets/mnist-limit200/test").toString());
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    /** The run's model, scored as its config (tiny.conf: 2 eps draws, K = 20) tells the evaluate stage to. */
    private static VaeModel runModel() {
        return VaeModel.load(root.resolve("runs/tiny/model").toString()).setElboSamples(2).setIsSamples(20)
                .setLogLikelihoodCol("log_likelihood");
    }

    /** The anomaly scores' default columns beyond the -ELBO, in output order. */
    private static final List<String> SCORES = List.of("neg_elbo_bias_corrected", "neg_elbo_minus_png", "region_surprise",
            "colour_surprise");

    /** index -> [neg_elbo, log_likelihood, latent mean..., the anomaly scores...] of a transform's output. */
    private static Map<Integer, double[]> byIndex(Dataset<Row> scored) {
        Map<Integer, double[]> out = new TreeMap<>();
        for (Row r : scored.select("index", "neg_elbo", "log_likelihood", "latent_mean", SCORES.get(0), SCORES.get(1),
                SCORES.get(2), SCORES.get(3)).collectAsList()) {
            double[] z = ((Vector) r.get(3)).toArray();
            double[] v = new double[2 + z.length + SCORES.size()];
            v[0] = r.getDouble(1);
            v[1] = r.getDouble(2);
            System.arraycopy(z, 0, v, 2, z.length);
            for (int k = 0; k < SCORES.size(); k++) {
                v[2 + z.length + k] = r.getDouble(4 + k);
            }
            out.put(r.getInt(0), v);
        }
        return out;
    }

    @Test
    void loadingARunsModelAndTransformingGivesTheEvaluateStagesNumbersExactly() {
        Map<Integer, double[]> scored = byIndex(runModel().transform(test));
        List<Row> evaluated = spark.read().parquet(root.resolve("runs/tiny/eval/per_example.parquet").toString())
                .select("index", "neg_elbo", "log_likelihood_is", "latent_mean").collectAsList();
        assertEquals(200, scored.size());
        assertEquals(200, evaluated.size());
        for (Row e : evaluated) {
            double[] s = scored.get(e.getInt(0));
            assertEquals(e.getDouble(1), s[0], 0.0, "-ELBO of " + e.getInt(0));
            assertEquals(e.getDouble(2), s[1], 0.0, "log p(x) of " + e.getInt(0));
            List<Object> mean = e.getList(3);
            assertEquals(2, mean.size());
            for (int j = 0; j < mean.size(); j++) {
                assertEquals((double) (Float) mean.get(j), s[2 + j], 0.0, "latent mean of " + e.getInt(0));
            }
        }
    }

    @Test
    void everyNumberIsTheSameWhateverThePartitioning() {
        VaeModel model = runModel();
        Map<Integer, double[]> one = byIndex(model.transform(test.repartition(1)));
        for (int partitions : new int[] {3, 7}) {
            Map<Integer, double[]> other = byIndex(model.transform(test.repartition(partitions)));
            assertEquals(one.keySet(), other.keySet());
            one.forEach((index, v) -> assertArrayEquals(v, other.get(index), 0.0, "index " + index + ", " + partitions + " partitions"));
        }
        // Without an index column rows are scored where they are: the same noise, so the same numbers up to the gemms'
        // float rounding in blocks of other neighbours.
        Dataset<Row> unindexed = test.drop("id").withColumnRenamed("index", "id"); // the split's own id: the source's name for it
        Map<Integer, double[]> a = byId(model.transform(unindexed.repartition(1)));
        Map<Integer, double[]> b = byId(model.transform(unindexed.repartition(7)));
        one.forEach((index, v) -> {
            assertEquals(v[0], a.get(index)[0], 1e-3);
            assertEquals(v[0], b.get(index)[0], 1e-3);
            assertEquals(v[1], b.get(index)[1], 1e-3);
            assertEquals(v[2], b.get(index)[2], 1e-5);
            for (int k = v.length - SCORES.size(); k < v.length; k++) {
                assertEquals(v[k], b.get(index)[k], 1e-3, "score " + k + " of " + index);
            }
        });
    }

    private static Map<Integer, double[]> byId(Dataset<Row> scored) {
        return byIndex(scored.withColumnRenamed("id", "index"));
    }

    @Test
    void doublesAndVectorsScoreLikeTheFloatsTheyHold() {
        VaeModel model = runModel();
        Map<Integer, double[]> floats = byIndex(model.transform(test));
        Dataset<Row> doubles = test.withColumn("pixels", col("pixels").cast("array<double>"));
        Dataset<Row> vectors = test.withColumn("pixels", functions.array_to_vector(col("pixels")));
        Map<Integer, double[]> fromDoubles = byIndex(model.transform(doubles));
        Map<Integer, double[]> fromVectors = byIndex(model.transform(vectors));
        assertEquals(floats.keySet(), fromVectors.keySet());
        floats.forEach((index, v) -> {
            assertArrayEquals(v, fromDoubles.get(index), 0.0);
            assertArrayEquals(v, fromVectors.get(index), 0.0);
        });
    }

    @Test
    void outputColumnsAreVectorsAndDoublesAndEachCanBeSwitchedOff() {
        VaeModel model = runModel().setReconstructionCol("reconstruction").setLatentLogVarCol("");
        Dataset<Row> out = model.transform(test);
        StructType s = out.schema();
        assertEquals("vector", s.apply("latent_mean").dataType().simpleString());
        assertEquals("vector", s.apply("reconstruction").dataType().simpleString());
        assertEquals(DataTypes.DoubleType, s.apply("neg_elbo").dataType());
        assertTrue(s.getFieldIndex("latent_log_var").isEmpty());
        assertEquals(List.of("index", "split", "label", "pixels", "id", "latent_mean", "neg_elbo", "reconstruction", "log_likelihood",
                "neg_elbo_bias_corrected", "neg_elbo_minus_png", "region_surprise", "colour_surprise"), List.of(s.fieldNames()));
        VaeModel fewer = runModel().setScoreCol(AnomalyScore.BIAS_CORRECTED, "").setScoreCol(AnomalyScore.REGION_SURPRISE, "")
                .setScoreCol(AnomalyScore.COMPLEXITY_CORRECTED, "png").setScoreCol(AnomalyScore.COLOUR_SURPRISE, "");
        assertEquals(List.of("latent_mean", "latent_log_var", "neg_elbo", "log_likelihood", "png"),
                List.of(fewer.transform(test).drop(test.columns()).columns()));
        Row first = out.orderBy("index").first();
        double[] reconstruction = ((Vector) first.getAs("reconstruction")).toArray();
        assertEquals(784, reconstruction.length);
        for (double p : reconstruction) {
            assertTrue(p >= 0 && p <= 1, "pixel means in [0, 1]: " + p);
        }
        assertEquals(7, (int) first.getAs("label")); // the input columns pass through
    }

    @Test
    void savingAndLoadingIsBitIdenticalAndTheFolderPassesEvaluateAndRender() throws IOException {
        VaeModel model = runModel().setNegElboCol("score");
        Path copyRoot = tmp.resolve("root");
        StageRuns.copyTree(root.resolve("datasets"), copyRoot.resolve("datasets"));
        Path saved = copyRoot.resolve("runs/copy/model");
        model.write().save(saved.toString());

        VaeModel back = VaeModel.load(saved.toString());
        assertEquals(model.uid(), back.uid());
        assertEquals("score", back.getNegElboCol());
        assertEquals("log_likelihood", back.getLogLikelihoodCol());
        assertEquals(20, back.getIsSamples());
        assertEquals(model.vae().network().params(), back.vae().network().params());
        assertEquals(model.vae().network().getUpdater().getStateViewArray(), back.vae().network().getUpdater().getStateViewArray());
        assertEquals(model.vae().spec(), back.vae().spec());
        assertEquals(model.loaded().provenance(), back.loaded().provenance());
        List<Row> before = model.transform(test).orderBy("index").collectAsList();
        List<Row> after = back.transform(test).orderBy("index").collectAsList();
        assertEquals(before.toString(), after.toString());

        // The folder is a run's model folder: evaluate and render accept it, and evaluate gets the run's numbers.
        Path conf = StageRuns.shared().conf();
        for (String stage : List.of("evaluate", "render")) {
            StageRuns.Outcome o = StageRuns.vae(stage, conf, copyRoot, "--set", "run.name=copy");
            assertEquals(0, o.code(), stage + ": " + o.err());
        }
        JsonNode original = Json.mapper().readTree(Files.readString(root.resolve("runs/tiny/eval/metrics.json")));
        JsonNode copied = Json.mapper().readTree(Files.readString(copyRoot.resolve("runs/copy/eval/metrics.json")));
        assertEquals(original.get("test_neg_elbo"), copied.get("test_neg_elbo"));
        assertEquals(original.get("test_log_likelihood_is"), copied.get("test_log_likelihood_is"));

        // An existing folder is only replaced on request, and then whole.
        assertThrows(IOException.class, () -> model.write().save(saved.toString()));
        back.setNegElboCol("other").write().overwrite().save(saved.toString());
        assertEquals("other", VaeModel.load(saved.toString()).getNegElboCol());
        assertTrue(Files.exists(saved.resolve("_SUCCESS")));
        assertEquals(List.of(), StageRuns.named(saved.getParent(), ".model"));
    }

    @Test
    void schemaProblemsAreRefusedNamingTheColumnBeforeAnyJob() {
        VaeModel model = runModel();
        expectRefused(model.copy(new org.apache.spark.ml.param.ParamMap()).setInputCol("nope"), test, "'nope' does not exist");
        expectRefused(model, test.withColumn("pixels", col("pixels").cast("array<int>")), "'pixels' is array<int>");
        expectRefused(model, test.withColumn("pixels", col("label").cast("string")), "'pixels' is string");
        Metadata size100 = new AttributeGroup("pixels", 100).toMetadata();
        expectRefused(model, test.withColumn("pixels", functions.array_to_vector(col("pixels")).as("pixels", size100)),
                "'pixels' holds vectors of size 100");
        expectRefused(runModel().setNegElboCol("label"), test, "output column 'label' already exists");
        expectRefused(runModel().setNegElboCol("latent_mean"), test, "'latent_mean' already exists");
        VaeModel none = runModel().setLatentMeanCol("").setLatentLogVarCol("").setNegElboCol("").setLogLikelihoodCol("");
        for (AnomalyScore score : AnomalyScore.optional()) {
            none.setScoreCol(score, "");
        }
        expectRefused(none, test, "every output column is switched off");
        expectRefused(runModel().setScoreCol(AnomalyScore.REGION_SURPRISE, "neg_elbo"), test, "'neg_elbo' already exists");
        expectRefused(runModel().setImageShape(new int[] {28, 14, 1}), test, "has 392 values but the model takes 784");
        assertThrows(IllegalArgumentException.class, () -> runModel().setImageShape(new int[] {28, 28, 2}));
        expectRefused(runModel().setIndexCol("row"), test, "index column 'row' does not exist");
        expectRefused(model, test.withColumn("index", col("index").cast("string")), "index column 'index' is string");
        assertThrows(IllegalArgumentException.class, () -> runModel().setIsSamples(0));
    }

    private static void expectRefused(VaeModel model, Dataset<Row> input, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.transform(input));
        assertTrue(e.getMessage().contains(message) && e.getMessage().startsWith("VaeModel: "), e.getMessage());
    }

    @Test
    void aRowOfTheWrongSizeOrOutOfRangeFailsItsTaskNamingWhatWasExpectedAndFound() {
        StructType schema = new StructType().add("index", DataTypes.IntegerType).add("pixels",
                DataTypes.createArrayType(DataTypes.FloatType));
        float[] short100 = new float[100];
        float[] bright = new float[784];
        bright[5] = 255f;
        float[] nan = new float[784];
        nan[7] = Float.NaN;
        Map<String, Float[]> cases = Map.of("holds 100 values but the model takes 784", boxed(short100),
                "holds 255.0 at position 5; pixel values must be in [0, 1]", boxed(bright),
                "holds NaN at position 7; pixel values must be in [0, 1]", boxed(nan));
        // Every score column is on (the default), and each bad row gets the one line it gets with the -ELBO alone.
        cases.forEach((message, pixels) -> {
            Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(3, pixels)), schema);
            Exception e = assertThrows(Exception.class, () -> runModel().transform(df).collectAsList());
            Throwable bad = e;
            while (bad != null && !(bad instanceof BadInputException)) {
                bad = bad.getCause();
            }
            assertNotNull(bad, "no BadInputException among the causes of " + e);
            assertEquals("column 'pixels' in the row with index 3 " + message, bad.getMessage());
        });
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void theHighestNegElboRowsAreTheModelsOutliers() {
        // The anomaly-score use: the -ELBO ranks rows; an inverted digit ranks above every test digit.
        List<Row> rows = new ArrayList<>(test.select("index", "pixels").collectAsList());
        StructType schema = new StructType().add("index", DataTypes.IntegerType).add("pixels",
                DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> input = new ArrayList<>();
        for (Row r : rows) {
            input.add(RowFactory.create(r.getInt(0), r.getList(1).toArray(new Float[0])));
        }
        Float[] inverted = rows.get(0).getList(1).stream().map(v -> 1f - (Float) v).toArray(Float[]::new);
        input.add(RowFactory.create(100_000, inverted));
        Dataset<Row> scored = runModel().transform(spark.createDataFrame(input, schema)).cache();
        List<Row> first = scored.orderBy(col("neg_elbo").desc()).select("index").limit(1).collectAsList();
        assertEquals(100_000, first.get(0).getInt(0));
        // The default ranking score, the region surprise, ranks it among the top 5% of the 201 rows too. (The others
        // need not: this barely trained 2-D model gets some busy digits about as wrong.)
        for (String score : List.of(SCORES.get(2))) {
            List<Integer> top = scored.orderBy(col(score).desc()).select("index").limit(10).collectAsList().stream()
                    .map(r -> r.getInt(0)).toList();
            assertTrue(top.contains(100_000), score + ": " + top);
        }
        // The inverted digit has its original's entropy sum (H(x) = H(1 - x)), so the bias correction keeps their gap.
        Row inv = scored.where(col("index").equalTo(100_000)).select("neg_elbo", SCORES.get(0)).first();
        Row orig = scored.where(col("index").equalTo(rows.get(0).getInt(0))).select("neg_elbo", SCORES.get(0)).first();
        assertEquals(inv.getDouble(0) - orig.getDouble(0), inv.getDouble(1) - orig.getDouble(1), 1e-3);
        assertTrue(inv.getDouble(1) > orig.getDouble(1));
        scored.unpersist();
    }

    @Test
    void theCorrectedScoresAreTheElboMinusTheImagesOwnCost() {
        // Each correction recomputed here from the row's pixels: the Bernoulli entropy sum and the PNG length in nats.
        List<Row> rows = runModel().setImageShape(new int[] {28, 28, 1}).transform(test)
                .select("pixels", "neg_elbo", SCORES.get(0), SCORES.get(1), SCORES.get(2), SCORES.get(3)).collectAsList();
        for (Row r : rows) {
            List<Object> values = r.getList(0);
            float[] x = new float[values.size()];
            double entropy = 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = (Float) values.get(i);
                double v = x[i];
                entropy += (v > 0 ? -v * Math.log(v) : 0) + (v < 1 ? -(1 - v) * Math.log(1 - v) : 0);
            }
            double pngBytes = io.sparkvae.image.TileGrid.imagePng(x, new io.sparkvae.data.ImageShape(28, 28, 1)).length;
            assertEquals(r.getDouble(1) - entropy, r.getDouble(2), 1e-9);
            assertEquals(r.getDouble(1) - pngBytes * 8 * Math.log(2), r.getDouble(3), 1e-9);
            assertTrue(r.getDouble(2) > 0, "-ELBO exceeds the entropy sum (KL terms are positive): " + r.getDouble(2));
            assertTrue(r.getDouble(4) > 0 && r.getDouble(4) < r.getDouble(1), "region surprise " + r.getDouble(4));
            assertTrue(r.getDouble(5) > 0 && r.getDouble(5) < r.getDouble(1), "colour surprise " + r.getDouble(5));
        }
    }
}
