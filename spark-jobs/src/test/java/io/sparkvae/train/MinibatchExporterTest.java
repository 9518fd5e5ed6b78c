package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkvae.dataset.ExampleRows;
import io.sparkvae.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class MinibatchExporterTest {
    private static final int BATCH = 20;
    private static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.start("minibatch-exporter");
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    /** Rows whose first pixel is their index, so each exported row can be traced back. */
    private static Dataset<Row> rows(int n, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] pixels = new float[6];
            pixels[0] = i;
            pixels[1] = (i % 255) / 255f;
            rows.add(ExampleRows.row(i, "train", null, pixels));
        }
        return spark.createDataFrame(rows, ExampleRows.SCHEMA).repartition(partitions);
    }

    private static org.apache.hadoop.fs.Path dir(Path tmp, String name) {
        return new org.apache.hadoop.fs.Path(tmp.resolve(name).toUri());
    }

    private static List<MinibatchFile.Minibatch> read(List<String> uris) throws IOException {
        List<MinibatchFile.Minibatch> out = new ArrayList<>();
        for (String uri : uris) {
            out.add(MinibatchFile.load(uri));
        }
        return out;
    }

    @Test
    void everyMinibatchIsFullButOneAndEveryRowIsExportedOnce(@TempDir Path tmp) throws IOException {
        // 7 partitions of about 30 rows: each leaves a remainder, which used to become a short minibatch of its own.
        int n = 213;
        List<String> uris = MinibatchExporter.export(rows(n, 3), BATCH, 7, 42, dir(tmp, "batches"));
        List<MinibatchFile.Minibatch> batches = read(uris);

        assertEquals((n + BATCH - 1) / BATCH, batches.size(), "minibatches");
        long shortOnes = batches.stream().filter(b -> b.rows() < BATCH).count();
        assertEquals(1, shortOnes, "short minibatches");
        assertEquals(n % BATCH, batches.stream().mapToInt(MinibatchFile.Minibatch::rows).filter(r -> r < BATCH).sum());

        TreeMap<Integer, Integer> seen = new TreeMap<>();
        for (MinibatchFile.Minibatch b : batches) {
            float[] p = b.pixels();
            for (int r = 0; r < b.rows(); r++) {
                int index = (int) p[r * b.cols()];
                seen.merge(index, 1, Integer::sum);
                assertEquals((index % 255) / 255f, p[r * b.cols() + 1], "row " + index + " kept its pixels");
            }
        }
        assertEquals(n, seen.size(), "distinct rows");
        assertEquals(n, seen.values().stream().mapToInt(Integer::intValue).sum(), "rows in all");

        try (Stream<Path> files = Files.list(tmp.resolve("batches"))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("remainder-")), "remainder files are deleted");
        }
    }

    @Test
    void theSameSeedExportsTheSameMinibatchesWhateverTheInputPartitioning(@TempDir Path tmp) throws IOException {
        List<MinibatchFile.Minibatch> a = read(MinibatchExporter.export(rows(157, 2), BATCH, 4, 7, dir(tmp, "a")));
        List<MinibatchFile.Minibatch> b = read(MinibatchExporter.export(rows(157, 5), BATCH, 4, 7, dir(tmp, "b")));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).pixels(), b.get(i).pixels(), "minibatch " + i);
        }
        List<MinibatchFile.Minibatch> other = read(MinibatchExporter.export(rows(157, 2), BATCH, 4, 8, dir(tmp, "c")));
        assertFalse(Arrays.equals(a.get(0).pixels(), other.get(0).pixels()), "another seed shuffles differently");
    }
}
