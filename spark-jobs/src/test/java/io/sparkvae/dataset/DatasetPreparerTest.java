package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.data.PunkSheet;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare through a real local Spark session on the real data sets. */
@Tag("spark")
class DatasetPreparerTest {
    private static SparkSession spark;
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static final Provenance PROVENANCE = Provenance.of("test", Map.of(), 1L, null);

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("prepare");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private DatasetPreparer preparer() {
        return new DatasetPreparer(spark, FILES);
    }

    private static org.apache.hadoop.fs.Path hpath(Path p) {
        return new org.apache.hadoop.fs.Path(p.toString());
    }

    @Test
    void punksAreSlicedPixelExactIntoTheFixedSplits() throws Exception {
        Path raw = TestData.rawDir();
        Path out = tmp.resolve("datasets/punks");
        var result = preparer().prepare("punks", hpath(raw), 0, 3, hpath(out), false, PROVENANCE);

        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        DatasetManifest m = DatasetManifest.read(FILES, hpath(out));
        assertEquals(result.manifest(), m);
        assertEquals(6000, m.splits().get("train").count());
        assertEquals(2000, m.splits().get("val").count());
        assertEquals(2000, m.splits().get("test").count());
        assertEquals(8000, m.splits().get("test").firstIndex());
        assertEquals("ac39af4793119ee46bbff351d8cb6b5f23da60222126add4268e261199a2921b", m.sources().get("punks/punks.png"));
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"first_index\" : 6000"));

        // Parquet round trip: stored rows equal tiles cut independently from the sheet.
        var sheet = PunkSheet.decode(Files.readAllBytes(raw.resolve("punks/punks.png")), "punks.png");
        List<Row> rows = spark.read().parquet(out.resolve("val").toString()).where("index in (6000, 7345, 7999)").collectAsList();
        assertEquals(3, rows.size());
        for (Row r : rows) {
            assertEquals("val", r.getString(r.fieldIndex(ExampleRows.SPLIT)));
            assertNull(ExampleRows.label(r));
            assertArrayEquals(sheet.tile(ExampleRows.index(r)), ExampleRows.pixels(r));
        }
        long distinct = spark.read().parquet(out.resolve("train").toString()).select("index").distinct().count();
        assertEquals(6000, distinct);

        // The preview is the first 100 examples of the split, borderless at 1x: punk 8000 at the top-left.
        BufferedImage preview = ImageIO.read(out.resolve("preview-test.png").toFile());
        assertEquals(240, preview.getWidth());
        assertEquals(240, preview.getHeight());
        float[] first = sheet.tile(8000);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                int expected = Math.round(first[(y * 24 + x) * 3] * 255f);
                assertEquals(expected, (preview.getRGB(x, y) >> 16) & 0xFF, "red at " + x + "," + y);
            }
        }
        assertTrue(Files.readString(out.resolve("preview-test.json")).contains("\"provenance\""));

        // The same rows, splits and pixels as the punks dataset prepared before there were formats (commit 895f5fb;
        // taken with DatasetContent's main on that commit's output).
        assertEquals(Map.of("train", "8d227a32e1fc03bcefd4fe8c28dddb24a334abb538f423127d4530496819e1ff",
                "val", "3ad226cc8cd6c986a302181568daab538b45b9cd031f728c2ce29291b1f6f324",
                "test", "0b436569ef2c615466cb9384a7c0ecb125de055004a69d83516c87032d925dc0"), digests(out));
        assertEquals("sprite-sheet", m.format().get("name"));
        assertEquals("punks", m.format().get("preset"));
    }

    private static Map<String, String> digests(Path dataset) throws Exception {
        Map<String, String> d = new java.util.HashMap<>();
        for (String split : SplitPlan.SPLITS) {
            d.put(split, DatasetContent.digest(spark, dataset.resolve(split).toString()));
        }
        return d;
    }

    @Test
    void mnistKeepsLabelsTheLimitAndItsContentFromBeforeFormats() throws Exception {
        Path out = tmp.resolve("datasets/mnist-limit1000");
        var result = preparer().prepare("mnist", hpath(TestData.rawDir()), 1000, 2, hpath(out), false, PROVENANCE);
        assertEquals(1000, result.manifest().splits().get("val").count());
        assertEquals(50_000, result.manifest().splits().get("val").firstIndex());
        Row first = spark.read().parquet(out.resolve("train").toString()).where("index = 0").first();
        assertEquals(5, ExampleRows.label(first)); // the first MNIST training digit is a 5
        assertEquals(784, ExampleRows.pixels(first).length);
        float max = 0;
        for (float v : ExampleRows.pixels(first)) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-6);
        // Identical to the dataset prepared before there were formats (commit 895f5fb, data.limit = 1000). The full MNIST
        // dataset was compared the same way once: train 08b3942a.., val 83229c0c.., test cbd38f7f.. from both.
        assertEquals(Map.of("train", "79da936d35941bccfec67c88e0aba0d70a73ea7d2b078b1006743917bf6f02f1",
                "val", "1bb5ff20c597a07462fd4f2b5bc4eed0aefb4612b9d7271c0ae9bc7e3898f022",
                "test", "d7a09875b159665a314a86c0367ac6aa9f2894af3b02753fe32689dbb6aec47e"), digests(out));
        assertEquals(Map.of("mnist/train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "mnist/train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                "mnist/t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "mnist/t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
                result.manifest().sources());
    }

    @Test
    void theShippedFashionMnistConfigReadsDebiansGzipIdxFiles() throws Exception {
        Path conf = TestData.confDir().resolve("fashion-mnist-z20.conf");
        var data = io.sparkvae.config.JobConfigLoader.load(Files.readString(conf), conf.toString(), "fashion-mnist-z20",
                List.of("data.limit=300", "data.raw=\"" + TestData.rawDir() + "\"")).data();
        for (String f : data.sources()) {
            assertTrue(Files.isRegularFile(TestData.rawDir().resolve(f)), "missing " + f + ": run scripts/fetch-data.sh fashion-mnist");
        }
        Path out = tmp.resolve("datasets/fashion-mnist-limit300");
        var result = preparer().prepare(data, hpath(TestData.rawDir()), hpath(out), false, PROVENANCE);
        assertEquals(new io.sparkvae.data.ImageShape(28, 28, 1), result.manifest().shape());
        assertEquals("fashion-mnist/t10k-images-idx3-ubyte.gz", result.manifest().splits().get("test").source());
        assertEquals("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
                result.manifest().sources().get("fashion-mnist/train-images-idx3-ubyte.gz"), "the hash scripts/fetch-data.sh pins");
        // The first test image of Fashion-MNIST is an ankle boot (class 9).
        Row first = spark.read().parquet(out.resolve("test").toString()).where("index = 0").first();
        assertEquals(9, ExampleRows.label(first));
        assertEquals(300, spark.read().parquet(out.resolve("val").toString()).count());
    }

    @Test
    void aFailureBeforeTheCommitLeavesNothingBehind() {
        Path out = tmp.resolve("datasets/punks");
        var failing = preparer().afterSplitWritten(split -> {
            if (split.equals("val")) {
                throw new IllegalStateException("injected failure after " + split);
            }
        });
        assertThrows(IllegalStateException.class,
                () -> failing.prepare("punks", hpath(TestData.rawDir()), 50, 2, hpath(out), false, PROVENANCE));
        assertFalse(Files.exists(out), "no output at the final path");
        assertEquals(0, listing(tmp.resolve("datasets")).length, "temporary output cleaned up: " + Arrays.toString(listing(tmp.resolve("datasets"))));
    }

    /**
     * Failures that are not RuntimeExceptions: an Error (Hadoop's {@code FSError} on a failing disk is one) and a checked
     * exception thrown undeclared (Spark's {@code SparkException} arrives so) must not leave the temporary output.
     */
    @Test
    void anyKindOfFailureBeforeTheCommitLeavesNothingBehind() {
        Path out = tmp.resolve("datasets/punks");
        for (Throwable failure : List.of(new AssertionError("injected error"), new Exception("injected checked exception"))) {
            var failing = preparer().afterSplitWritten(split -> {
                if (split.equals("val")) {
                    DatasetPreparerTest.<RuntimeException>sneaky(failure);
                }
            });
            Throwable thrown = assertThrows(Throwable.class,
                    () -> failing.prepare("punks", hpath(TestData.rawDir()), 50, 2, hpath(out), false, PROVENANCE));
            assertSame(failure, thrown);
            assertFalse(Files.exists(out), "no output at the final path");
            assertEquals(0, listing(tmp.resolve("datasets")).length, failure + ": temporary output cleaned up: "
                    + Arrays.toString(listing(tmp.resolve("datasets"))));
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void anExistingCompleteOutputIsOnlyReplacedWithOverwrite() {
        Path out = tmp.resolve("datasets/punks");
        preparer().prepare("punks", hpath(TestData.rawDir()), 20, 1, hpath(out), false, PROVENANCE);
        var e = assertThrows(BadInputException.class,
                () -> preparer().prepare("punks", hpath(TestData.rawDir()), 20, 1, hpath(out), false, PROVENANCE));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        preparer().prepare("punks", hpath(TestData.rawDir()), 20, 1, hpath(out), true, PROVENANCE);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    private static String[] listing(Path dir) {
        String[] names = new File(dir.toString()).list();
        return names == null ? new String[0] : names;
    }
}
