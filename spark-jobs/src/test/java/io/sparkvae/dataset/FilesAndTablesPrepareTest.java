package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.ImageDecoder;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.data.SpriteGrid;
import io.sparkvae.data.SpriteSheet;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code format = idx} (plain and gzip), {@code sprite-sheet} and {@code parquet} on small real files written here. */
@Tag("spark")
class FilesAndTablesPrepareTest {
    private static SparkSession spark;
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static final Provenance PROVENANCE = Provenance.of("test", Map.of(), 1L, null);

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("formats");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private JobConfig.Data config(String data) {
        return JobConfigLoader.load("data { dataset = x, raw = \"" + tmp.resolve("raw") + "\", partitions = 3\n" + data + " }",
                "test.conf", "test", List.of()).data();
    }

    private DatasetPreparer.Result prepare(JobConfig.Data data) {
        return new DatasetPreparer(spark, FILES).prepare(data, FILES.path(data.raw()), FILES.path(tmp.resolve("datasets/x").toString()),
                false, PROVENANCE);
    }

    private List<Row> split(DatasetPreparer.Result r, String split) {
        return spark.read().parquet(new org.apache.hadoop.fs.Path(r.dir(), split).toString()).orderBy(ExampleRows.INDEX).collectAsList();
    }

    static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols).putInt(0x803).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 31 + i / 7));
        }
        return b.array();
    }

    static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private void raw(String name, byte[] bytes) {
        ImageFiles.write(tmp.resolve("raw").resolve(name), bytes);
    }

    private static final String IDX_GZ = "format = idx\nidx { train-images = \"set/train-images.gz\", train-labels = \"set/train-labels.gz\","
            + " test-images = \"set/test-images.gz\", test-labels = \"set/test-labels.gz\", classes = 10 }";

    @Test
    void gzipIdxFilesGiveATestSplitFromTheTestFileAndHashedValidation() throws Exception {
        byte[] train = idxImages(200, 5, 4);
        raw("set/train-images.gz", gzip(train));
        raw("set/train-labels.gz", gzip(idxLabels(200)));
        raw("set/test-images.gz", gzip(idxImages(30, 5, 4)));
        raw("set/test-labels.gz", gzip(idxLabels(30)));
        DatasetPreparer.Result r = prepare(config(IDX_GZ + "\nval-fraction = 0.25"));
        assertEquals(new io.sparkvae.data.ImageShape(5, 4, 1), r.manifest().shape());
        assertEquals(30, r.manifest().splits().get("test").count());
        assertEquals("set/test-images.gz", r.manifest().splits().get("test").source());
        assertEquals(200, r.manifest().splits().get("train").count() + r.manifest().splits().get("val").count());
        assertEquals(4, r.manifest().sources().size());
        assertEquals(DatasetManifest.sha256(Files.readAllBytes(tmp.resolve("raw/set/train-images.gz"))), r.manifest().sources().get("set/train-images.gz"),
                "the source hash is of the file as stored");
        assertEquals("idx", r.manifest().format().get("name"));
        assertEquals(0.25, r.manifest().format().get("val-fraction"));
        assertNull(r.manifest().format().get("test-fraction"), "a test file gives the test split");
        for (Row row : split(r, "val")) {
            int i = ExampleRows.index(row);
            assertEquals("val", SplitHash.split(Integer.toString(i), 0.25, 0));
            assertEquals(i % 10, ExampleRows.label(row));
            float[] px = ExampleRows.pixels(row);
            for (int k = 0; k < 20; k++) {
                assertEquals((train[16 + i * 20 + k] & 0xFF) / 255f, px[k]);
            }
        }
    }

    @Test
    void aTruncatedGzipFileIsRefusedNamingIt() throws Exception {
        byte[] gz = gzip(idxImages(2000, 28, 28));
        raw("set/train-images.gz", Arrays.copyOf(gz, gz.length / 2));
        raw("set/train-labels.gz", gzip(idxLabels(2000)));
        raw("set/test-images.gz", gzip(idxImages(30, 28, 28)));
        raw("set/test-labels.gz", gzip(idxLabels(30)));
        var e = assertThrows(BadInputException.class, () -> prepare(config(IDX_GZ)));
        assertTrue(e.getMessage().startsWith("file:" + tmp.resolve("raw/set/train-images.gz") + ": truncated gzip stream"), e.getMessage());
        assertDatasetsEmpty();
    }

    @Test
    void idxTestImagesOfAnotherShapeAreRefusedNamingBothFiles() throws Exception {
        raw("set/train-images.gz", gzip(idxImages(20, 28, 28)));
        raw("set/train-labels.gz", gzip(idxLabels(20)));
        raw("set/test-images.gz", gzip(idxImages(5, 32, 32)));
        raw("set/test-labels.gz", gzip(idxLabels(5)));
        var e = assertThrows(BadInputException.class, () -> prepare(config(IDX_GZ)));
        assertTrue(e.getMessage().startsWith("file:" + tmp.resolve("raw/set/test-images.gz") + ": images are 32x32 but the training images file:"
                + tmp.resolve("raw/set/train-images.gz") + " are 28x28"), e.getMessage());
        assertDatasetsEmpty();
    }

    @Test
    void anIdxFileWithoutLabelsOrTestFileIsSplitByHash() {
        raw("plain/images-idx3-ubyte", idxImages(300, 3, 3));
        DatasetPreparer.Result r = prepare(config("format = idx\nidx.train-images = \"plain/images-idx3-ubyte\""));
        int total = 0;
        for (String s : SplitPlan.SPLITS) {
            for (Row row : split(r, s)) {
                assertEquals(s, SplitHash.split(Integer.toString(ExampleRows.index(row)), 0.1, 0.1));
                assertNull(ExampleRows.label(row));
                total++;
            }
        }
        assertEquals(300, total);
    }

    @Test
    void aColumnMajorSpriteSheetSlicesLikeTheLibrary() throws Exception {
        byte[] png = ImageFiles.encode(ImageFiles.rgba(7 * 4, 5 * 6, 3), "png");
        raw("sheet.png", png);
        JobConfig.Data data = config("format = sprite-sheet\nsprite-sheet { file = sheet.png, tile-width = 4, tile-height = 5, columns = 7,"
                + " count = 40, order = column-major, channels = 1, background = white }\nval-fraction = 0.2\ntest-fraction = 0.2");
        DatasetPreparer.Result r = prepare(data);
        SpriteSheet sheet = SpriteSheet.decode(png, "sheet.png", new SpriteGrid(4, 5, 7, 40, true), 1, 0xFFFFFF);
        int total = 0;
        for (String s : SplitPlan.SPLITS) {
            for (Row row : split(r, s)) {
                assertArrayEquals(sheet.tile(ExampleRows.index(row)), ExampleRows.pixels(row));
                total++;
            }
        }
        assertEquals(40, total);
        assertEquals("column-major", r.manifest().format().get("order"));
    }

    @Test
    void parquetArraysWithIdAndLabelColumns() {
        StructType schema = new StructType().add("key", DataTypes.LongType).add("digit", DataTypes.IntegerType)
                .add("px", DataTypes.createArrayType(DataTypes.DoubleType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double[] px = new double[4];
            Arrays.fill(px, i / 100.0);
            rows.add(RowFactory.create(1000L - i, i % 3, toList(px)));
        }
        String table = tmp.resolve("raw/table").toString();
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(table);
        DatasetPreparer.Result r = prepare(config("format = parquet\nparquet { path = table, pixels = px, label = digit, id = key,"
                + " width = 2, height = 2, channels = 1 }"));
        List<Row> all = new ArrayList<>();
        SplitPlan.SPLITS.forEach(s -> all.addAll(split(r, s)));
        assertEquals(60, all.size());
        for (Row row : all) {
            String id = row.getString(row.fieldIndex(ExampleRows.ID));
            long key = Long.parseLong(id);
            int i = (int) (1000 - key);
            assertEquals(i % 3, ExampleRows.label(row));
            assertEquals((float) (i / 100.0), ExampleRows.pixels(row)[0]);
            assertEquals(SplitHash.split(id, 0.1, 0.1), row.getString(row.fieldIndex(ExampleRows.SPLIT)));
        }
        // Index = rank of the id as a string ("941" < ... < "1000" sorts "1000" first).
        List<String> sorted = all.stream().map(x -> x.getString(x.fieldIndex(ExampleRows.ID))).sorted().toList();
        all.forEach(x -> assertEquals(sorted.indexOf(x.getString(x.fieldIndex(ExampleRows.ID))), ExampleRows.index(x)));
        assertEquals("array<double>", r.manifest().format().get("pixel_column"));
    }

    @Test
    void parquetVectorsWithoutIdUseFileAndRowAndBinaryImagesDecode() throws Exception {
        // A Spark ML Vector column as stored (and as a Spark without MLlib reads it): struct<type, size, indices, values>.
        StructType vector = new StructType().add("type", DataTypes.ByteType, false).add("size", DataTypes.IntegerType)
                .add("indices", DataTypes.createArrayType(DataTypes.IntegerType)).add("values", DataTypes.createArrayType(DataTypes.DoubleType));
        StructType schema = new StructType().add("features", vector);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(i % 2 == 0 ? RowFactory.create(RowFactory.create((byte) 1, null, null, toList(new double[] {0.5, 0.25, 0, 1})))
                    : RowFactory.create(RowFactory.create((byte) 0, 4, toList(new int[] {2}), toList(new double[] {0.75}))));
        }
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(tmp.resolve("raw/vectors").toString());
        DatasetPreparer.Result r = prepare(config("format = parquet\nparquet { path = vectors, pixels = features, width = 2, height = 2, channels = 1 }"));
        List<Row> all = new ArrayList<>();
        SplitPlan.SPLITS.forEach(s -> all.addAll(split(r, s)));
        assertEquals(40, all.size());
        for (Row row : all) {
            String id = row.getString(row.fieldIndex(ExampleRows.ID));
            assertTrue(id.matches("part-[^/]*\\.parquet#\\d+"), id);
            int position = Integer.parseInt(id.substring(id.indexOf('#') + 1));
            float[] expected = position % 2 == 0 ? new float[] {0.5f, 0.25f, 0, 1} : new float[] {0, 0, 0.75f, 0};
            assertArrayEquals(expected, ExampleRows.pixels(row), id);
        }

        // Binary image files in a column, decoded and fitted like an image folder's.
        StructType images = new StructType().add("name", DataTypes.StringType).add("png", DataTypes.BinaryType);
        List<Row> pngs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pngs.add(RowFactory.create("img" + i, ImageFiles.encode(ImageFiles.rgba(6 + i % 3, 6, i), "png")));
        }
        spark.createDataFrame(pngs, images).write().parquet(tmp.resolve("raw/pngs").toString());
        FILES.delete(FILES.path(tmp.resolve("datasets/x").toString()));
        DatasetPreparer.Result b = prepare(config("format = parquet\nparquet { path = pngs, pixels = png, id = name, width = 6,"
                + " height = 6, channels = 3, resize = fit }"));
        ImageTarget target = new ImageTarget(6, 6, 3, Resize.FIT, Compositing.parseColour("#000000"));
        int seen = 0;
        for (String s : SplitPlan.SPLITS) {
            for (Row row : split(b, s)) {
                String id = row.getString(row.fieldIndex(ExampleRows.ID));
                byte[] png = pngs.get(Integer.parseInt(id.substring(3))).getAs(1);
                assertArrayEquals(target.pixels(ImageDecoder.decode(png, id)), ExampleRows.pixels(row), id);
                seen++;
            }
        }
        assertEquals(30, seen);
    }

    @Test
    void badParquetValuesAndDuplicateIdsAreRefusedNamingTheRow() {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("px", DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create("r" + i, Arrays.asList(0.1f, i == 7 ? 1.5f : 0.2f)));
        }
        spark.createDataFrame(rows, schema).write().parquet(tmp.resolve("raw/bad").toString());
        var e = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = bad, pixels = px, id = id,"
                + " width = 2, height = 1 }")));
        assertTrue(e.getMessage().contains("bad row r7: pixels value 1 = 1.5 is outside [0,1]"), e.getMessage());
        var shape = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = bad, pixels = px, id = id,"
                + " width = 3, height = 1 }")));
        assertTrue(shape.getMessage().contains("bad row r0: pixels has 2 values, expected 3"), shape.getMessage());
        rows.add(RowFactory.create("r3", Arrays.asList(0.1f, 0.2f)));
        spark.createDataFrame(rows, schema).write().parquet(tmp.resolve("raw/dup").toString());
        var dup = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = dup, pixels = px, id = id,"
                + " width = 2, height = 1 }")));
        assertTrue(dup.getMessage().contains("holds 'r3' 2 times"), dup.getMessage());
        // Null pixels and null ids are refused as what they are: two null ids are not one duplicated id.
        List<Row> nulls = new ArrayList<>(rows.subList(0, 3));
        nulls.set(1, RowFactory.create("r1", null));
        spark.createDataFrame(nulls, schema).write().parquet(tmp.resolve("raw/null-pixels").toString());
        var nullPixels = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = null-pixels,"
                + " pixels = px, id = id, width = 2, height = 1 }")));
        assertTrue(nullPixels.getMessage().contains("null-pixels row r1: pixels is null"), nullPixels.getMessage());
        nulls.set(1, RowFactory.create(null, Arrays.asList(0.1f, 0.2f)));
        nulls.set(2, RowFactory.create(null, Arrays.asList(0.1f, 0.2f)));
        spark.createDataFrame(nulls, schema).write().parquet(tmp.resolve("raw/null-ids").toString());
        var nullIds = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = null-ids,"
                + " pixels = px, id = id, width = 2, height = 1 }")));
        assertTrue(nullIds.getMessage().contains("id is null") && !nullIds.getMessage().contains("times"), nullIds.getMessage());
        var column = assertThrows(BadInputException.class, () -> prepare(config("format = parquet\nparquet { path = bad, pixels = pixels }")));
        assertTrue(column.getMessage().contains("has no column 'pixels' (data.parquet.pixels); its columns: id, px"), column.getMessage());
        assertDatasetsEmpty();
    }

    private static List<Object> toList(double[] a) {
        List<Object> l = new ArrayList<>();
        for (double d : a) {
            l.add(d);
        }
        return l;
    }

    private static List<Object> toList(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int d : a) {
            l.add(d);
        }
        return l;
    }

    private void assertDatasetsEmpty() {
        String[] left = tmp.resolve("datasets").toFile().list();
        assertTrue(left == null || left.length == 0, Arrays.toString(left));
    }
}
