package io.sparkvae.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.Json;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code vae score} through the command line on a real local Spark session: PNG files written from the prepared MNIST
 * test split score exactly as {@code vae encode} scores the split.
 */
@Tag("spark")
class ScoreStageTest {
    private static final String RUN = "score-run";
    private static final String TRUNCATED = "zz-truncated.png";
    private static SparkSession spark;
    private static Path root;
    private static Path conf;
    private static Path digits;
    /** The encode stage's row of each test index: {@code neg_elbo} and {@code latent_mean}. */
    private static Map<Integer, Row> encoded;

    @BeforeAll
    static void setUp() throws Exception {
        spark = LocalSpark.start("score");
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
        TinyModels.saveRun(TinyModels.trained(784, 2, 1), root, RUN);
        Outcome e = StageRuns.vae("encode", conf, root, "--set", "run.name=" + RUN);
        assertEquals(0, e.code(), e.err());
        encoded = new HashMap<>();
        for (Row r : spark.read().parquet(root.resolve("runs/" + RUN + "/encode/test").toString())
                .select("index", "neg_elbo", "latent_mean").collectAsList()) {
            encoded.put(r.getInt(0), r);
        }
        digits = root.resolve("digits");
        MnistPngs.write(spark, root.resolve("datasets/mnist-limit200/test"), digits, TRUNCATED);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void scoresAFolderExactlyAsEncodeScoresThePreparedSplitAndSkipsTheBadFile() throws Exception {
        Outcome o = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN, "--set", "score.on-bad-image=skip",
                digits.toString());
        assertEquals(0, o.code(), o.err());
        Path dir = root.resolve("runs/" + RUN + "/score/digits");
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));

        List<Row> rows = spark.read().parquet(dir.resolve("scores.parquet").toString()).collectAsList();
        assertEquals(200, rows.size());
        Row first = rows.get(0);
        assertEquals(List.of("path", "latent_mean", "latent_log_var", "neg_elbo"), List.of(first.schema().fieldNames()).subList(0, 4));
        for (Row r : rows) {
            Row e = encoded.get(MnistPngs.indexOf(r.getString(0)));
            assertEquals(e.getDouble(1), r.getDouble(r.fieldIndex("neg_elbo")), 0.0, r.getString(0));
            assertEquals(e.getList(2), r.getList(r.fieldIndex("latent_mean")), r.getString(0));
        }

        JsonNode summary = Json.mapper().readTree(Files.readString(dir.resolve("summary.json")));
        assertEquals(201, summary.get("files").asInt());
        assertEquals(200, summary.get("scored").asInt());
        assertEquals(1, summary.get("skipped").asInt());
        assertTrue(summary.get("skipped_first").get(0).asText().endsWith("/" + TRUNCATED), summary.toString());
        double highest = encoded.values().stream().mapToDouble(r -> r.getDouble(1)).max().orElseThrow();
        assertEquals(20, summary.get("most_unusual").size());
        assertEquals(highest, summary.get("most_unusual").get(0).get("neg_elbo").asDouble(), 0.0);
        assertEquals(28, summary.get("image_rules").get("width").asInt());
        assertTrue(summary.get("provenance").get("modelSha256").asText().matches("[0-9a-f]{64}"));

        List<String> csv = Files.readAllLines(dir.resolve("scores.csv"));
        assertEquals(201, csv.size());
        assertTrue(csv.get(0).startsWith("path,latent_mean_0,latent_mean_1,latent_log_var_0,latent_log_var_1,neg_elbo"), csv.get(0));
        String line = csv.get(1);
        Row e0 = encoded.get(MnistPngs.indexOf(line.substring(0, line.indexOf(','))));
        assertEquals(e0.getDouble(1), Double.parseDouble(line.split(",")[5]), 0.0, line);

        assertTrue(Files.size(dir.resolve("most-unusual.png")) > 0);
        JsonNode sidecar = Json.mapper().readTree(Files.readString(dir.resolve("most-unusual.json")));
        assertEquals(20, sidecar.get("files").size());
        assertEquals(List.of(), StageRuns.named(dir.getParent(), "."), "no temporary siblings left");

        Outcome again = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN, "--set", "score.on-bad-image=skip",
                digits.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipping"), again.out());
    }

    @Test
    void refusesTheTruncatedFileUnderFailNamingIt() {
        Outcome o = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN, "--set", "score.name=refused", digits.toString());
        assertEquals(2, o.code(), o.out());
        assertTrue(o.err().startsWith("error: ") && o.err().strip().lines().count() == 1, o.err());
        assertTrue(o.err().contains(TRUNCATED) && o.err().contains("score.on-bad-image = skip"), o.err());
        assertFalse(Files.exists(root.resolve("runs/" + RUN + "/score/refused")));
    }

    @Test
    void scoresAGlobAndAListOfFilesWithTheSameNoise() throws Exception {
        Outcome o = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN, "--set", "score.name=picked",
                digits + "/0001?.png", digits.resolve("00150.png").toString(), digits.resolve("00010.png").toString());
        assertEquals(0, o.code(), o.err());
        List<Row> rows = spark.read().parquet(root.resolve("runs/" + RUN + "/score/picked/scores.parquet").toString())
                .orderBy("path").collectAsList();
        assertEquals(11, rows.size(), "00010-00019 and 00150; 00010 named twice is scored once");
        assertEquals(150, MnistPngs.indexOf(rows.get(10).getString(0)));
        for (Row r : rows) {
            // Other neighbours in a block change only the gemms' last bits: the noise is seeded by each file's pixels.
            double expected = encoded.get(MnistPngs.indexOf(r.getString(0))).getDouble(1);
            assertEquals(expected, r.getDouble(r.fieldIndex("neg_elbo")), 1e-4 * Math.abs(expected), r.getString(0));
        }
    }

    @Test
    void refusesARunWithoutAModelAndAMissingFolder() {
        Outcome noModel = StageRuns.vae("score", conf, root, "--set", "run.name=no-such-run", digits.toString());
        assertEquals(2, noModel.code(), noModel.out());
        assertTrue(noModel.err().contains("runs/no-such-run/model"), noModel.err());

        Outcome missing = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN, root.resolve("no-such-folder").toString());
        assertEquals(2, missing.code(), missing.out());
        assertTrue(missing.err().contains("no-such-folder") && missing.err().contains("not found"), missing.err());
        assertTrue(missing.err().strip().lines().count() == 1, missing.err());

        Outcome none = StageRuns.vae("score", conf, root, "--set", "run.name=" + RUN);
        assertEquals(2, none.code(), none.out());
        assertTrue(none.err().contains("score.input"), none.err());
    }
}
