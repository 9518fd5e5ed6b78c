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
        PunkSheet sheet = PunkSheet.decode(Files.readAllBytes(raw.resolve("punks/punks.png")), "punks.png");
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
    }

    @Test
    void mnistKeepsLabelsAndTheLimit() {
        Path out = tmp.resolve("datasets/mnist-limit120");
        var result = preparer().prepare("mnist", hpath(TestData.rawDir()), 120, 2, hpath(out), false, PROVENANCE);
        assertEquals(120, result.manifest().splits().get("val").count());
        assertEquals(50_000, result.manifest().splits().get("val").firstIndex());
        Row first = spark.read().parquet(out.resolve("train").toString()).where("index = 0").first();
        assertEquals(5, ExampleRows.label(first)); // the first MNIST training digit is a 5
        assertEquals(784, ExampleRows.pixels(first).length);
        float max = 0;
        for (float v : ExampleRows.pixels(first)) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max, 1e-6);
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
