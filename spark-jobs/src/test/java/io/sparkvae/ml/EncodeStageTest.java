package io.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.Json;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.LogCapture;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code vae encode} through the command line on a real local Spark session. */
@Tag("spark")
class EncodeStageTest {
    private static SparkSession spark;
    private static Path root;
    private static Path conf;
    private static Path dataset;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("encode");
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
        dataset = root.resolve("datasets/mnist-limit200");
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private static JsonNode description(Path dir) throws Exception {
        return Json.mapper().readTree(Files.readString(dir.resolve("_encode.json")));
    }

    @Test
    void encodesTheTestSplitAsVaeModelScoresItAndFollowsTheStageContract() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 2), root, "enc");
        Outcome o;
        try (LogCapture log = LogCapture.start()) {
            o = StageRuns.vae("encode", conf, root, "--set", "run.name=enc");
            // Reading back its staged table (a folder named .test.tmp-<uuid>) made Spark warn that it ignores the path.
            assertEquals(List.of(), log.lines().stream().filter(l -> l.contains("All paths were ignored")).toList());
        }
        assertEquals(0, o.code(), o.err());
        Path dir = root.resolve("runs/enc/encode/test");
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
        assertTrue(o.out().contains("encode: wrote"), o.out());

        Dataset<Row> encoded = spark.read().parquet(dir.toString());
        assertEquals(List.of("index", "label", "latent_mean", "latent_log_var", "neg_elbo", "neg_elbo_bias_corrected",
                "neg_elbo_minus_png", "region_surprise", "colour_surprise"), List.of(encoded.columns()));
        assertEquals("array<float>", encoded.schema().apply("latent_mean").dataType().simpleString());
        // The same numbers as VaeModel gives with the config's settings (tiny.conf: 2 eps draws, the run seed 42).
        Map<Integer, Row> byIndex = new TreeMap<>();
        for (Row r : encoded.collectAsList()) {
            byIndex.put(r.getInt(0), r);
        }
        VaeModel model = VaeModel.load(root.resolve("runs/enc/model").toString()).setElboSamples(2).setSeed(42);
        List<Row> expected = model.transform(spark.read().parquet(dataset.resolve("test").toString()))
                .select("index", "label", "latent_mean", "neg_elbo", "neg_elbo_bias_corrected", "neg_elbo_minus_png",
                        "region_surprise", "colour_surprise").collectAsList();
        assertEquals(200, byIndex.size());
        for (Row e : expected) {
            Row r = byIndex.get(e.getInt(0));
            assertEquals(e.get(1), r.get(1));
            for (int c = 3; c <= 7; c++) {
                assertEquals(e.getDouble(c), r.getDouble(c + 1), 0.0, encoded.columns()[c + 1] + " of " + e.getInt(0));
            }
            double[] z = ((Vector) e.get(2)).toArray();
            List<Object> mean = r.getList(2);
            for (int j = 0; j < z.length; j++) {
                assertEquals(z[j], (double) (Float) mean.get(j), 0.0);
            }
        }
        JsonNode d = description(dir);
        assertEquals(200, d.get("rows").asInt());
        assertEquals("test", d.get("split").asText());
        // The summary ranks by the default score (region surprise) and says so.
        assertEquals("region_surprise", d.get("ranked_by").get("column").asText());
        assertEquals(5, d.get("most_unusual").size());
        double max = byIndex.values().stream().mapToDouble(r -> r.getDouble(7)).max().orElseThrow();
        assertEquals(max, d.get("most_unusual").get(0).get("region_surprise").asDouble(), 0.0);
        assertTrue(d.get("provenance").get("datasetSha256").asText().matches("[0-9a-f]{64}"));

        Outcome again = StageRuns.vae("encode", conf, root, "--set", "run.name=enc");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipping"), again.out());
        long before = Files.getLastModifiedTime(dir.resolve("_SUCCESS")).toMillis();
        Outcome rebuilt = StageRuns.vae("encode", conf, root, "--set", "run.name=enc", "--overwrite");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(Files.getLastModifiedTime(dir.resolve("_SUCCESS")).toMillis() >= before);
        assertEquals(d.get("mean_neg_elbo"), description(dir).get("mean_neg_elbo"), "the same numbers to the last bit");
        assertEquals(List.of(), StageRuns.named(root.resolve("runs/enc/encode"), ".test"));
    }

    @Test
    void encodesAnotherParquetFolderWithImportanceSamplesAndNumbersRowsWithoutAnIndex() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 1), root, "enc-other");
        Path input = root.resolve("foreign-images");
        spark.read().parquet(dataset.resolve("val").toString()).limit(30)
                .select(functions.col("pixels").cast("array<double>").as("pixels"))
                .coalesce(1).write().mode("overwrite").parquet(input.toString());
        Outcome o = StageRuns.vae("encode", conf, root, "--set", "run.name=enc-other", "--set", "encode.input=\"" + input + "\"",
                "--set", "encode.is-samples=10");
        assertEquals(0, o.code(), o.err());
        Path dir = root.resolve("runs/enc-other/encode/foreign-images");
        Dataset<Row> encoded = spark.read().parquet(dir.toString());
        assertEquals(List.of("id", "latent_mean", "latent_log_var", "neg_elbo", "neg_elbo_bias_corrected", "neg_elbo_minus_png",
                "region_surprise", "colour_surprise", "log_likelihood"), List.of(encoded.columns()));
        List<Row> rows = encoded.orderBy("id").collectAsList();
        assertEquals(30, rows.size());
        double gap = 0;
        for (int i = 0; i < 30; i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getLong(0));
            assertTrue(Double.isFinite(r.getDouble(8)) && r.getDouble(8) < 0, "log p(x) of row " + i + ": " + r);
            gap += r.getDouble(8) + r.getDouble(3);
        }
        assertTrue(gap / 30 > -0.5, "on average the IS estimate is not below the ELBO: " + gap / 30);
        assertTrue(description(dir).get("split").isNull());
    }
}
