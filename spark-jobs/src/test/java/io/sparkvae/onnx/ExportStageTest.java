package io.sparkvae.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.PixelMatrix;
import io.sparkvae.model.Vae;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.ReadOnlyFolder;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code vae export} through the command line: its output, the stage contract and its bad inputs. */
@Tag("spark")
class ExportStageTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static SparkSession spark;
    private static Path root;
    private static Path conf;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("export");
        root = StageRuns.shared().root();
        conf = StageRuns.shared().conf();
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void exportsTheRunsModelWithItsDatasetsImageLayoutAndFollowsTheStageContract() throws Exception {
        Vae vae = TinyModels.trained(784, 2, 1);
        TinyModels.saveRun(vae, root, "exp");
        String[] run = {"--set", "run.name=exp"};
        Outcome o = StageRuns.vae("export", conf, root, run);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("export: wrote "), o.out());
        Path dir = root.resolve("runs/exp/export");
        for (String f : List.of("_SUCCESS", OnnxExport.ENCODER, OnnxExport.DECODER, OnnxExport.DESCRIPTION)) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode m = Json.mapper().readTree(Files.readString(dir.resolve(OnnxExport.DESCRIPTION)));
        JsonNode image = m.path("image");
        assertEquals(List.of(28, 28, 1), List.of(image.path("height").asInt(), image.path("width").asInt(), image.path("channels").asInt()));
        assertTrue(image.path("background").isNull(), "MNIST's IDX files have no transparency: " + image);
        assertEquals("HWC", image.path("pixel_order").asText());
        assertEquals(2, m.path("latent_size").asInt());
        JsonNode provenance = m.path("provenance");
        String modelSha = modelIdentity("exp");
        assertEquals(modelSha, provenance.path("modelSha256").asText());
        DatasetManifest manifest = DatasetManifest.read(FILES, FILES.path(root.resolve("datasets/mnist-limit200").toString()));
        assertEquals(manifest.hash(), provenance.path("datasetSha256").asText());
        assertEquals(42, provenance.path("seed").asLong());
        assertTrue(provenance.path("config").path("data").has("dataset") && provenance.has("gitCommit"), provenance.toString());

        // ONNX Runtime on the prepared test split gives the model's posterior.
        List<Row> rows = spark.read().parquet(root.resolve("datasets/mnist-limit200/test").toString()).orderBy("index")
                .select("pixels").collectAsList();
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            List<Float> px = rows.get(i).getList(0);
            x[i] = new float[px.size()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = px.get(j);
            }
        }
        float[][] mean = vae.encode(PixelMatrix.of(x)).mean().toFloatMatrix();
        OnnxRuntimeGraphs.assertClose(widen(mean),
                OnnxRuntimeGraphs.run(dir.resolve(OnnxExport.ENCODER), VaeOnnx.PIXELS, x).get(VaeOnnx.LATENT_MEAN), 1e-5, "latent_mean");

        // Complete: skipped without a change; --overwrite rebuilds the same graphs, byte for byte.
        Map<String, String> built = TreeSnapshot.exact(dir);
        byte[] encoder = Files.readAllBytes(dir.resolve(OnnxExport.ENCODER));
        Outcome again = StageRuns.vae("export", conf, root, run);
        assertTrue(again.code() == 0 && again.out().contains("is already complete; skipping"), again.out() + again.err());
        assertEquals(built, TreeSnapshot.exact(dir));
        Outcome rebuilt = StageRuns.vae("export", conf, root, "--set", "run.name=exp", "--overwrite");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertArrayEquals(encoder, Files.readAllBytes(dir.resolve(OnnxExport.ENCODER)));
        assertEquals(List.of(), StageRuns.named(root.resolve("runs/exp"), ".export"), "no temporary or moved-aside export left");
        String events = Files.readString(root.resolve("runs/exp/events.jsonl"));
        assertTrue(events.contains("\"stage\":\"export\"") && events.contains("\"outcome\":\"ok\""), events);

        // Another model: the export is stale, says so when run alone, and --overwrite brings it up to date.
        TinyModels.saveRun(TinyModels.trained(784, 2, 2), root, "exp");
        String newSha = modelIdentity("exp");
        assertNotEquals(modelSha, newSha);
        Outcome stale = StageRuns.vae("export", conf, root, run);
        assertTrue(stale.code() == 0 && stale.out().contains("export is complete but stale: its model "), stale.out() + stale.err());
        Outcome fresh = StageRuns.vae("export", conf, root, "--set", "run.name=exp", "--overwrite");
        assertEquals(0, fresh.code(), fresh.err());
        assertEquals(newSha, Json.mapper().readTree(Files.readString(dir.resolve(OnnxExport.DESCRIPTION)))
                .path("provenance").path("modelSha256").asText());
        assertFalse(java.util.Arrays.equals(encoder, Files.readAllBytes(dir.resolve(OnnxExport.ENCODER))), "new weights");
    }

    @Test
    void aRunWithoutAModelIsRefusedInOneLine() {
        Outcome o = StageRuns.vae("export", conf, root, "--set", "run.name=nomodel");
        assertEquals(2, o.code(), o.out() + o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: ") && err.contains("runs/nomodel/model") && err.contains("not found"), err);
        assertFalse(Files.exists(root.resolve("runs/nomodel/export")));
    }

    @Test
    void anUnfinishedModelAModelOfOtherImagesAndAMissingDatasetAreRefusedInOneLine() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 0), root, "unfinished");
        Files.delete(root.resolve("runs/unfinished/model").resolve(HadoopFiles.SUCCESS));
        refused("unfinished", root, "runs/unfinished/model", "_SUCCESS");

        TinyModels.saveRun(TinyModels.trained(100, 2, 0), root, "small");
        refused("small", root, "100 inputs", "784");

        Path bare = Files.createTempDirectory("export-no-dataset");
        try {
            TinyModels.saveRun(TinyModels.trained(784, 2, 0), bare, "nodata");
            refused("nodata", bare, "mnist-limit200", "not found");
        } finally {
            StageRuns.deleteTree(bare);
        }
    }

    /** {@code vae export} of {@code run} exits 2 with one {@code error:} line naming every culprit, writing nothing. */
    private static void refused(String run, Path under, String... culprits) {
        Outcome o = StageRuns.vae("export", conf, under, "--set", "run.name=" + run);
        assertEquals(2, o.code(), o.out() + o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: "), err);
        for (String c : culprits) {
            assertTrue(err.contains(c), "names " + c + ": " + err);
        }
        assertFalse(Files.exists(under.resolve("runs/" + run + "/export")), "nothing written");
    }

    @Test
    void anUnwritableExportFolderIsRefusedInOneLine() throws Exception {
        TinyModels.saveRun(TinyModels.trained(784, 2, 0), root, "readonly");
        Path runDir = root.resolve("runs/readonly");
        try (ReadOnlyFolder ignored = ReadOnlyFolder.of(runDir)) {
            Map<String, String> before = TreeSnapshot.exact(runDir);
            Outcome o = StageRuns.vae("export", conf, root, "--set", "run.name=readonly");
            assertEquals(2, o.code(), o.out() + o.err());
            String err = o.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("error: ") && err.contains("runs/readonly") && err.contains("not writable"), err);
            assertEquals(before, TreeSnapshot.exact(runDir), "nothing written");
        }
    }

    private static String modelIdentity(String run) throws Exception {
        return Json.mapper().readTree(Files.readString(root.resolve("runs/" + run + "/model/provenance.json"))).path("modelSha256").asText();
    }

    private static double[][] widen(float[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new double[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = v[i][j];
            }
        }
        return out;
    }
}
