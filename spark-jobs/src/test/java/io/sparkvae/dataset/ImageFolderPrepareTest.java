package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.data.Compositing;
import io.sparkvae.data.ImageDecoder;
import io.sparkvae.data.ImageTarget;
import io.sparkvae.data.Resize;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code format = image-folder} through a real local Spark session on folders of real image files written here. */
@Tag("spark")
class ImageFolderPrepareTest {
    private static SparkSession spark;
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();
    private static final Provenance PROVENANCE = Provenance.of("test", Map.of(), 1L, null);

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("image-folder");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** The data section of a config reading {@code folder} as an image folder, plus {@code more} keys. */
    static JobConfig.Data config(Path folder, String more) {
        return JobConfigLoader.load("data { dataset = pics, format = image-folder, raw = \"" + folder + "\", partitions = 2\n"
                + "image-folder { width = 8, height = 8, channels = 3 }\n" + more + " }", "test.conf", "test", List.of()).data();
    }

    private DatasetPreparer.Result prepare(JobConfig.Data data, String name) {
        return new DatasetPreparer(spark, FILES).prepare(data, FILES.path(data.raw()), FILES.path(tmp.resolve("datasets/" + name).toString()),
                false, PROVENANCE);
    }

    private static List<Row> rows(DatasetPreparer.Result r) {
        List<Row> all = new ArrayList<>();
        for (String split : SplitPlan.SPLITS) {
            all.addAll(spark.read().parquet(new org.apache.hadoop.fs.Path(r.dir(), split).toString()).collectAsList());
        }
        return all;
    }

    /**
     * Two class folders of every colour type and format, of mixed sizes, in a folder whose name Spark would read as a
     * glob pattern if it were given one: the name must simply work.
     */
    private Path mixedFolder() {
        Path f = tmp.resolve("set[1] {a,b}");
        ImageFiles.write(f.resolve("cats/a-rgba.png"), ImageFiles.rgba(16, 12, 1), "png");
        ImageFiles.write(f.resolve("cats/b-palette.png"), ImageFiles.palette(5, 9), "png");
        ImageFiles.write(f.resolve("cats/c-grey16.png"), ImageFiles.grey16(8, 8), "png");
        ImageFiles.write(f.resolve("cats/deeper/d.gif"), ImageFiles.rgb(12, 12), "gif");
        ImageFiles.write(f.resolve("dogs/e.jpg"), ImageFiles.rgb(20, 10), "jpg");
        ImageFiles.write(f.resolve("dogs/f.bmp"), ImageFiles.rgb(6, 6), "bmp");
        for (int i = 0; i < 14; i++) {
            ImageFiles.write(f.resolve("dogs/g" + i + ".png"), ImageFiles.rgba(8 + i, 8, i), "png");
        }
        ImageFiles.write(f.resolve("dogs/notes.txt"), "not an image".getBytes());
        return f;
    }

    @Test
    void mixedFormatsAndSizesFitWithLabelsFromSubfolders() throws Exception {
        Path folder = mixedFolder();
        JobConfig.Data data = config(folder, "image-folder { resize = fit, background = \"#336699\", labels = subfolder }"
                + "\nval-fraction = 0.2\ntest-fraction = 0.2");
        DatasetPreparer.Result r = prepare(data, "pics");
        DatasetManifest m = r.manifest();
        assertEquals(new io.sparkvae.data.ImageShape(8, 8, 3), m.shape());
        assertEquals("image-folder", m.format().get("name"));
        assertEquals("fit", m.format().get("resize"));
        assertEquals(Map.of("cats", 0, "dogs", 1), m.format().get("label_table"));
        assertEquals("subfolder", m.format().get("labels"));
        assertEquals(20L, ((Number) m.format().get("items")).longValue(), "every image, not notes.txt");
        assertTrue(m.sources().values().iterator().next().matches("[0-9a-f]{64}"), m.sources().toString());
        assertEquals(m.toJson(), DatasetManifest.read(FILES, r.dir()).toJson());

        List<Row> rows = rows(r);
        assertEquals(20, rows.size());
        List<String> ids = rows.stream().map(x -> x.getString(x.fieldIndex(ExampleRows.ID))).sorted().toList();
        ImageTarget target = new ImageTarget(8, 8, 3, Resize.FIT, Compositing.parseColour("#336699"));
        int counted = 0;
        for (Row row : rows) {
            String id = row.getString(row.fieldIndex(ExampleRows.ID));
            assertEquals(ids.indexOf(id), ExampleRows.index(row), "index is the rank of the id: " + id);
            assertEquals(SplitHash.split(id, 0.2, 0.2), row.getString(row.fieldIndex(ExampleRows.SPLIT)), id);
            assertEquals(id.startsWith("cats/") ? 0 : 1, ExampleRows.label(row), id);
            // The stored pixels are the library's decoding and scaling of the file's bytes.
            float[] expected = target.pixels(ImageDecoder.decode(Files.readAllBytes(folder.resolve(id)), id));
            assertArrayEquals(expected, ExampleRows.pixels(row), id);
            counted++;
        }
        assertEquals(20, counted);
        int total = m.splits().values().stream().mapToInt(DatasetManifest.Split::count).sum();
        assertEquals(20, total);
        // fit pads a 20x10 JPEG with the background: its top row is #336699.
        Row jpeg = rows.stream().filter(x -> x.getString(x.fieldIndex(ExampleRows.ID)).equals("dogs/e.jpg")).findFirst().orElseThrow();
        float[] px = ExampleRows.pixels(jpeg);
        assertEquals(0x33 / 255f, px[0], 1e-6);
        assertEquals(0x99 / 255f, px[2], 1e-6);
        assertTrue(Files.exists(tmp.resolve("datasets/pics/preview-train.png")));
    }

    @Test
    void mixedSizesWithResizeNoneAreRefusedNamingTheFirstFileAndNothingIsWritten() {
        Path folder = tmp.resolve("sizes");
        ImageFiles.write(folder.resolve("a.png"), ImageFiles.rgba(8, 8, 1), "png");
        ImageFiles.write(folder.resolve("b.png"), ImageFiles.rgba(9, 8, 2), "png");
        ImageFiles.write(folder.resolve("c.png"), ImageFiles.rgba(8, 7, 3), "png");
        var e = assertThrows(BadInputException.class, () -> prepare(config(folder, "image-folder.on-bad-image = skip"), "sizes"));
        assertTrue(e.getMessage().startsWith("file:" + folder + "/b.png: image is 9x8, not 8x8"), e.getMessage());
        assertTrue(e.getMessage().contains("2 of 3"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void aCorruptFileFailsNamingItAndWritesNothing() {
        Path folder = tmp.resolve("corrupt");
        writeFolderWithOneCorruptFile(folder);
        var e = assertThrows(BadInputException.class, () -> prepare(config(folder, ""), "corrupt"));
        assertTrue(e.getMessage().startsWith("file:" + folder + "/broken.png: unreadable PNG image"), e.getMessage());
        assertTrue(e.getMessage().contains("on-bad-image = skip"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertNothingWritten();
    }

    @Test
    void aCorruptFileIsSkippedAndCountedWithSkip() {
        Path folder = tmp.resolve("corrupt");
        writeFolderWithOneCorruptFile(folder);
        DatasetPreparer.Result r = prepare(config(folder, "image-folder.on-bad-image = skip\nval-fraction = 0.3\ntest-fraction = 0.3"), "skip");
        assertEquals(1L, ((Number) r.manifest().format().get("skipped")).longValue());
        assertEquals(List.of("broken.png"), r.manifest().format().get("skipped_first"));
        assertEquals(12, rows(r).size());
        assertTrue(rows(r).stream().noneMatch(x -> "broken.png".equals(x.getString(x.fieldIndex(ExampleRows.ID)))));
    }

    @Test
    void anEmptyFileAFifoAndALinkToDevZeroAreListedBadFilesNotDropped() throws Exception {
        Path folder = tmp.resolve("special #%é"); // a name that is not a valid URI as it stands
        for (int i = 0; i < 12; i++) {
            ImageFiles.write(folder.resolve("ok" + i + ".png"), ImageFiles.rgba(8, 8, i), "png");
        }
        Files.createFile(folder.resolve("empty.png"));
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve("fifo.png").toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        Files.createSymbolicLink(folder.resolve("zero.png"), Path.of("/dev/zero"));

        var e = assertThrows(BadInputException.class, () -> prepare(config(folder, ""), "special-fail"));
        assertTrue(e.getMessage().contains("3 of 15"), e.getMessage());
        assertNothingWritten();

        DatasetPreparer.Result r = prepare(config(folder, "image-folder.on-bad-image = skip\nval-fraction = 0.3\ntest-fraction = 0.3"),
                "special-skip");
        assertEquals(3L, ((Number) r.manifest().format().get("skipped")).longValue());
        assertEquals(java.util.Set.of("empty.png", "fifo.png", "zero.png"),
                new java.util.HashSet<>((List<?>) r.manifest().format().get("skipped_first")));
        assertEquals(12, rows(r).size());
    }

    @Test
    void aSymlinkLoopAndALinkOutOfTheFolderAreNotFollowedAndSaidSo() throws Exception {
        Path folder = tmp.resolve("looped 50%");
        for (int i = 0; i < 6; i++) {
            ImageFiles.write(folder.resolve("sub/ok" + i + ".png"), ImageFiles.rgba(8, 8, i), "png");
        }
        Path outside = tmp.resolve("elsewhere");
        ImageFiles.write(outside.resolve("stranger.png"), ImageFiles.rgba(8, 8, 50), "png");
        Files.createSymbolicLink(folder.resolve("sub/loop"), Path.of(".."));
        Files.createSymbolicLink(folder.resolve("out"), outside);

        DatasetPreparer.Result r = prepare(config(folder, "val-fraction = 0.3\ntest-fraction = 0.3"), "looped");
        List<Row> all = rows(r);
        assertEquals(6, all.size(), "each image once, none through the loop or from outside");
        assertEquals(6, all.stream().map(x -> x.getString(x.fieldIndex(ExampleRows.ID))).distinct().count());
        assertEquals(2, ((Number) r.manifest().format().get("links_not_followed")).intValue());
        String said = String.valueOf(r.manifest().format().get("links_not_followed_first"));
        assertTrue(said.contains("sub/loop: a link to a folder it is in (a loop)") && said.contains("out: a link to a folder outside"),
                said);
    }

    private static void writeFolderWithOneCorruptFile(Path folder) {
        for (int i = 0; i < 12; i++) {
            ImageFiles.write(folder.resolve("ok" + i + ".png"), ImageFiles.rgba(8, 8, i), "png");
        }
        byte[] png = ImageFiles.encode(ImageFiles.rgba(8, 8, 99), "png");
        ImageFiles.write(folder.resolve("broken.png"), java.util.Arrays.copyOf(png, png.length / 2));
    }

    @Test
    void anEmptyFolderAndAFolderWithoutImagesAreRefused() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(BadInputException.class, () -> prepare(config(empty, ""), "empty"));
        assertEquals("file:" + empty + ": image folder is empty", e.getMessage());
        Path texts = tmp.resolve("texts");
        ImageFiles.write(texts.resolve("README.txt"), "hello".getBytes());
        ImageFiles.write(texts.resolve("sub/data.csv"), "1,2".getBytes());
        var t = assertThrows(BadInputException.class, () -> prepare(config(texts, ""), "texts"));
        assertTrue(t.getMessage().startsWith("file:" + texts + ": no file matches data.image-folder.glob"), t.getMessage());
        var missing = assertThrows(BadInputException.class, () -> prepare(config(tmp.resolve("nope"), ""), "nope"));
        assertTrue(missing.getMessage().contains("image folder not found"), missing.getMessage());
        assertNothingWritten();
    }

    @Test
    void aFileDirectlyInTheRootIsRefusedWhenLabelsComeFromSubfolders() {
        Path folder = tmp.resolve("loose");
        ImageFiles.write(folder.resolve("a/x.png"), ImageFiles.rgba(8, 8, 1), "png");
        ImageFiles.write(folder.resolve("loose.png"), ImageFiles.rgba(8, 8, 2), "png");
        var e = assertThrows(BadInputException.class, () -> prepare(config(folder, "image-folder.labels = subfolder"), "loose"));
        assertTrue(e.getMessage().startsWith("file:" + folder + "/loose.png: lies directly in the image folder"), e.getMessage());
    }

    @Test
    void addingFilesLeavesEveryExistingExampleInItsSplitAndARerunIsIdentical() throws Exception {
        Path folder = tmp.resolve("growing");
        for (int i = 0; i < 40; i++) {
            ImageFiles.write(folder.resolve("img" + i + ".png"), ImageFiles.rgba(8, 8, i), "png");
        }
        JobConfig.Data data = config(folder, "val-fraction = 0.25\ntest-fraction = 0.25");
        Map<String, String> before = splitsById(prepare(data, "before"));
        Map<String, String> again = splitsById(prepare(data, "again"));
        assertEquals(before, again, "a rerun on the same files gives the same splits");
        assertEquals(DatasetContent.digest(spark, tmp.resolve("datasets/before/test").toString()),
                DatasetContent.digest(spark, tmp.resolve("datasets/again/test").toString()), "and the same rows");
        for (int i = 40; i < 100; i++) {
            ImageFiles.write(folder.resolve("new" + i + ".png"), ImageFiles.rgba(8, 8, i), "png");
        }
        Map<String, String> after = splitsById(prepare(data, "after"));
        assertEquals(100, after.size());
        before.forEach((id, split) -> assertEquals(split, after.get(id), id + " moved"));
        assertTrue(before.containsValue("val") && before.containsValue("test") && before.containsValue("train"), before.toString());
    }

    private static Map<String, String> splitsById(DatasetPreparer.Result r) {
        Map<String, String> m = new TreeMap<>();
        for (Row row : rows(r)) {
            m.put(row.getString(row.fieldIndex(ExampleRows.ID)), row.getString(row.fieldIndex(ExampleRows.SPLIT)));
        }
        return m;
    }

    @Test
    void greyscaleCropAndTheLimitKeepTheFirstExamplesByIndex() {
        Path folder = tmp.resolve("crop");
        for (int i = 0; i < 30; i++) {
            ImageFiles.write(folder.resolve(String.format("p%02d.png", i)), ImageFiles.rgba(16, 10, i), "png");
        }
        JobConfig.Data data = config(folder, "image-folder { resize = crop, channels = 1 }\nlimit = 3\nval-fraction = 0.3\ntest-fraction = 0.3");
        DatasetPreparer.Result r = prepare(data, "crop");
        assertEquals("pics-limit3", data.folderName());
        Map<String, List<Integer>> bySplit = new HashMap<>();
        for (Row row : rows(r)) {
            assertEquals(64, ExampleRows.pixels(row).length);
            bySplit.computeIfAbsent(row.getString(row.fieldIndex(ExampleRows.SPLIT)), k -> new ArrayList<>()).add(ExampleRows.index(row));
        }
        for (String split : SplitPlan.SPLITS) {
            List<Integer> kept = bySplit.get(split).stream().sorted().toList();
            assertEquals(3, kept.size(), split);
            // The first three of the split by index: the three lowest-ranked ids hashed into it.
            List<Integer> expected = Stream.iterate(0, i -> i + 1).limit(30)
                    .filter(i -> SplitHash.split(String.format("p%02d.png", i), 0.3, 0.3).equals(split)).limit(3).toList();
            assertEquals(expected, kept, split);
            assertEquals(expected.get(0), r.manifest().splits().get(split).firstIndex());
        }
        assertNull(r.manifest().format().get("label_table"));
    }

    private void assertNothingWritten() {
        Path datasets = tmp.resolve("datasets");
        String[] left = datasets.toFile().list();
        assertTrue(left == null || left.length == 0, "nothing may be left in " + datasets + ": " + java.util.Arrays.toString(left));
    }
}
