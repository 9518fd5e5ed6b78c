package io.sparkvae.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import io.sparkvae.evaluate.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.sparkvae.testing.LocalSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** {@code vae render} end to end through the command line on a real local Spark session. */
@Tag("spark")
class RenderStageTest {
    private static Path root;
    private static Path conf;

    @BeforeAll
    static void prepareDataset() {
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
    }

    private static BufferedImage png(Path p) throws Exception {
        return ImageIO.read(p.toFile());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path p) throws Exception {
        return new ObjectMapper().readValue(Files.readString(p), Map.class);
    }

    @Test
    void drawsEveryPictureOfATwoDimensionalRun() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 2), root, "render2d");
        Files.writeString(root.resolve("runs/render2d/metrics.jsonl"),
                "{\"epoch\":1,\"train_neg_elbo\":210.5,\"val_neg_elbo\":190.0,\"seconds\":1.0,\"images_per_second\":300}\n"
                        + "{\"epoch\":2,\"train_neg_elbo\":185.0,\"val_neg_elbo\":180.0,\"seconds\":1.0,\"images_per_second\":300}\n");
        Outcome o = StageRuns.vae("render", conf, root, "--set", "run.name=render2d");
        assertEquals(0, o.code(), o.err());
        Path dir = root.resolve("runs/render2d/render");
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
        for (String name : List.of("reconstructions", "manifold", "samples", "latent-scatter", "training-curve", "interpolations",
                "outliers")) {
            assertTrue(Files.exists(dir.resolve(name + ".png")), name);
            Map<String, Object> sidecar = json(dir.resolve(name + ".json"));
            assertEquals("render2d", sidecar.get("run"), name);
            assertEquals(2, sidecar.get("epochs"), name);
            assertTrue(sidecar.containsKey("provenance") && sidecar.containsKey("shows"), name);
        }
        // Config: reconstructions = 12 (10 columns, 2 pairs of rows), manifold-grid = 5, samples = 16, scale = 2.
        BufferedImage rec = png(dir.resolve("reconstructions.png"));
        assertEquals(10 * 28 * 2, rec.getWidth());
        assertEquals(4 * 28 * 2, rec.getHeight());
        assertEquals(5 * 28 * 2, png(dir.resolve("manifold.png")).getWidth());
        assertEquals(4 * 28 * 2, png(dir.resolve("samples.png")).getHeight());
        assertEquals(Charts.SCATTER_SIZE, png(dir.resolve("latent-scatter.png")).getWidth());
        assertEquals(Charts.CURVE_HEIGHT, png(dir.resolve("training-curve.png")).getHeight());
        assertEquals(10 * 28 * 2, png(dir.resolve("interpolations.png")).getWidth());
        assertEquals(8 * 28 * 2, png(dir.resolve("interpolations.png")).getHeight()); // render.interpolations = 8
        assertEquals(10 * 28 * 2 + 5 * 14, png(dir.resolve("outliers.png")).getHeight()); // 50 outliers: 5 captioned pairs
        @SuppressWarnings("unchecked")
        List<Integer> indices = (List<Integer>) json(dir.resolve("reconstructions.json")).get("indices");
        assertEquals(12, indices.size());
        assertTrue(indices.stream().allMatch(i -> i >= 0 && i < 200), indices.toString());

        Outcome again = StageRuns.vae("render", conf, root, "--set", "run.name=render2d");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipping"), again.out());
    }

    @Test
    void theOutliersAreTheTestExamplesWithTheHighestDefaultScoreAsVaeModelScoresThem() throws Exception {
        // The default ranking score is the region surprise: the same numbers VaeModel gives the test split.
        Path root = StageRuns.trained().root();
        Path run = root.resolve("runs/tiny");
        Map<String, Object> sidecar = json(run.resolve("render/outliers.json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> outliers = (List<Map<String, Object>>) sidecar.get("outliers");
        SparkSession spark = LocalSpark.start("render-outliers");
        List<Row> top;
        try {
            top = io.sparkvae.ml.VaeModel.load(run.resolve("model").toString()).setElboSamples(2).setSeed(42)
                    .transform(spark.read().parquet(root.resolve("datasets/mnist-limit200/test").toString()))
                    .orderBy(functions.col("region_surprise").desc(), functions.col("index")).limit(50)
                    .select("index", "region_surprise").collectAsList();
        } finally {
            spark.stop();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rankedBy = (Map<String, Object>) sidecar.get("ranked_by");
        assertEquals("region_surprise", rankedBy.get("column"));
        assertEquals(50, outliers.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(top.get(i).getInt(0), outliers.get(i).get("index"), "rank " + i);
            assertEquals(top.get(i).getDouble(1), (Double) outliers.get(i).get("region_surprise"), 0.0, "rank " + i);
        }
    }

    @Test
    void higherDimensionalRunWithoutTrainingLogSkipsWhatDoesNotApplyWithNotes() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 5, 1), root, "render5d");
        Outcome o = StageRuns.vae("render", conf, root, "--set", "run.name=render5d");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("skipped manifold.png: the latent space is 5-D"), o.out());
        assertTrue(o.out().contains("skipped latent-scatter.png"), o.out());
        assertTrue(o.out().contains("skipped training-curve.png: the run has no training log"), o.out());
        Path dir = root.resolve("runs/render5d/render");
        assertTrue(Files.exists(dir.resolve("reconstructions.png")) && Files.exists(dir.resolve("samples.png")));
        assertFalse(Files.exists(dir.resolve("manifold.png")));
        assertFalse(Files.exists(dir.resolve("training-curve.png")));
        assertEquals(null, json(dir.resolve("samples.json")).get("epochs"));
    }
}
