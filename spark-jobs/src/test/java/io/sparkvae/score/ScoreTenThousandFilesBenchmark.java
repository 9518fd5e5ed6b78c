package io.sparkvae.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.Json;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check at full size, on two executor JVMs: all 10,000 MNIST test images written as PNG files and a
 * truncated one among them; {@code vae score} gives each file exactly the -ELBO {@code vae encode} gives its image in
 * the prepared test split, and refuses or skips the truncated file per {@code score.on-bad-image}.
 *
 * <p>Not part of {@code mvn verify} (its name matches neither surefire's nor failsafe's patterns): it takes minutes,
 * more than CI can spend on it; {@code ScoreStageTest} checks the same on 200 files. Run it with
 * {@code mvn -B -o -pl spark-jobs -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ScoreTenThousandFilesBenchmark}; it prints each step's time.
 */
class ScoreTenThousandFilesBenchmark {
    private static final int N = 10_000;
    private static final String TRUNCATED = "09999-truncated.png";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // executors that cannot start are relaunched forever
    void everyFileScoresExactlyAsEncodeScoresItsImage() throws Exception {
        SparkSession spark = LocalCluster.start("score", 2, 1, 1024);
        try {
            Path root = tmp.resolve("root");
            Path conf = tmp.resolve("mnist10k.conf");
            Files.writeString(conf, "data { dataset = mnist, raw = \"" + TestData.rawDir() + "\", limit = " + N + ", partitions = 4 }\n"
                    + "model { latent = 2, hidden = [32] }\n");
            long t0 = System.nanoTime();
            assertEquals(0, StageRuns.vae("prepare", conf, root).code());
            long t1 = System.nanoTime();
            TinyModels.saveRun(TinyModels.trained(784, 2, 1), root, "mnist10k");
            long t2 = System.nanoTime();
            Outcome encode = StageRuns.vae("encode", conf, root);
            assertEquals(0, encode.code(), encode.err());
            long t3 = System.nanoTime();
            Map<Integer, Double> expected = new HashMap<>();
            for (Row r : spark.read().parquet(root.resolve("runs/mnist10k/encode/test").toString()).select("index", "neg_elbo")
                    .collectAsList()) {
                expected.put(r.getInt(0), r.getDouble(1));
            }
            assertEquals(N, expected.size());

            Path images = tmp.resolve("mnist-test-png");
            MnistPngs.write(spark, root.resolve("datasets/mnist-limit" + N + "/test"), images, TRUNCATED);

            long t4 = System.nanoTime();
            Outcome refused = StageRuns.vae("score", conf, root, "--set", "score.name=refused", images.toString());
            assertEquals(2, refused.code(), refused.out());
            assertTrue(refused.err().contains(TRUNCATED) && refused.err().contains("1 of " + (N + 1)), refused.err());

            long t5 = System.nanoTime();
            Outcome skipped = StageRuns.vae("score", conf, root, "--set", "score.on-bad-image=skip", images.toString());
            assertEquals(0, skipped.code(), skipped.err());
            long t6 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "score benchmark (s): prepare %.1f, encode %.1f, write %d PNGs %.1f, score refusing "
                    + "%.1f, score skipping %.1f%n", (t1 - t0) / 1e9, (t3 - t2) / 1e9, N + 1, (t4 - t3) / 1e9, (t5 - t4) / 1e9, (t6 - t5) / 1e9);
            Path dir = root.resolve("runs/mnist10k/score/mnist-test-png");
            List<Row> rows = spark.read().parquet(dir.resolve("scores.parquet").toString()).select("path", "neg_elbo").collectAsList();
            assertEquals(N, rows.size());
            for (Row r : rows) {
                assertEquals(expected.get(MnistPngs.indexOf(r.getString(0))), r.getDouble(1), 0.0, r.getString(0));
            }
            JsonNode summary = Json.mapper().readTree(Files.readString(dir.resolve("summary.json")));
            assertEquals(1, summary.get("skipped").asInt());
            assertTrue(summary.get("skipped_first").get(0).asText().endsWith(TRUNCATED), summary.toString());
            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executor JVMs did the work");
        } finally {
            spark.stop();
        }
    }
}
