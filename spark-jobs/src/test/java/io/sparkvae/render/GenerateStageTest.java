package io.sparkvae.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.Json;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Vae;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code vae generate} through the command line on a real local Spark session. */
@Tag("spark")
class GenerateStageTest {
    private static SparkSession spark;
    private static Path root;
    private static Path conf;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("generate");
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private static List<Row> samples(Path dir) {
        return spark.read().parquet(dir.resolve("samples.parquet").toString()).orderBy("index").collectAsList();
    }

    @Test
    void drawsSeededSamplesIntoParquetAGridAndOnePictureEachAndFollowsTheStageContract() throws Exception {
        Vae vae = TinyModels.trained(784, 2, 2);
        TinyModels.saveRun(vae, root, "gen");
        String[] run = {"--set", "run.name=gen", "--set", "generate.samples=230", "--set", "generate.grid=16",
                "--set", "generate.images=true"};
        Outcome o = StageRuns.vae("generate", conf, root, run);
        assertEquals(0, o.code(), o.err());
        Path dir = root.resolve("runs/gen/generate");
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));

        List<Row> rows = samples(dir);
        assertEquals(230, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0));
        }
        // Sample 137 is the decoder mean of its own seeded draw (tiny.conf's seed is the default 42).
        Row r = rows.get(137);
        float[] z = PriorSamples.z(137, 2, 42);
        assertArrayEquals(z, floats(r.getList(1)));
        float[] expected = vae.decode(PixelMatrix.of(List.of(z))).toFloatVector();
        float[] pixels = floats(r.getList(2));
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], pixels[j], 1e-5);
        }

        BufferedImage grid = ImageIO.read(dir.resolve("samples.png").toFile());
        assertEquals(4 * 28 * 2, grid.getWidth()); // 16 tiles, 4 x 4 at render.scale = 2
        JsonNode sidecar = Json.mapper().readTree(Files.readString(dir.resolve("samples.json")));
        assertEquals(230, sidecar.get("samples").asInt());
        assertTrue(sidecar.has("provenance"));
        try (Stream<Path> images = Files.list(dir.resolve("images"))) {
            assertEquals(230, images.filter(p -> p.getFileName().toString().matches("sample-\\d{6}\\.png")).count());
        }
        assertEquals(28 * 2, ImageIO.read(dir.resolve("images/sample-000229.png").toFile()).getWidth());
        assertTrue(Json.mapper().readTree(Files.readString(dir.resolve("images.json"))).has("provenance"));

        Outcome again = StageRuns.vae("generate", conf, root, run);
        assertTrue(again.code() == 0 && again.out().contains("skipping"), again.out() + again.err());

        // Rebuilt by other task counts: every sample the same, bit for bit.
        String[] otherPartitions = {"--set", "run.name=gen", "--set", "generate.samples=230", "--set", "data.partitions=1",
                "--overwrite"};
        Outcome rebuilt = StageRuns.vae("generate", conf, root, otherPartitions);
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertEquals(rows.toString(), samples(dir).toString());
        assertTrue(!Files.exists(dir.resolve("images")), "the rebuilt output is the new one, whole (no images asked)");
        assertEquals(List.of(), StageRuns.named(root.resolve("runs/gen"), ".generate"));
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) values.get(i);
        }
        return out;
    }
}
