package io.sparkvae.reliability;

import io.sparkvae.layout.StageDescriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkvae.io.Json;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rerun safety, measured: every stage run a second time skips without touching its output, and run again with
 * {@code --overwrite} rebuilds the same outputs from the same seed: bit for bit, apart from what records when it was
 * made (provenance {@code createdAt}, the per-epoch {@code seconds} and {@code images_per_second}, zip entry times
 * and the dataset manifest hash, which covers the manifest's own timestamp).
 */
@Tag("spark")
class RerunDeterminismTest {
    private static final List<String> STAGES = StageDescriptor.pipeline().stream().map(StageDescriptor::commandName).toList();
    /** What legitimately differs between two runs: when they ran and how fast. */
    private static final Set<String> TIMING_FIELDS = Set.of("createdAt", "seconds", "images_per_second");

    @TempDir
    Path tmp;

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("rerun");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aSecondRunSkipsAndAnOverwrittenRunRebuildsTheSameOutputs() throws Exception {
        // The first run of all four stages: the suites' shared trained run (same config, same seed), in a copy.
        StageRuns.Prepared first = StageRuns.trained();
        Path conf = first.conf();
        Path root = tmp.resolve("root");
        StageRuns.copyTree(first.root(), root);
        Map<String, String> built = TreeSnapshot.outputs(root);
        Map<String, Long> builtTimes = modificationTimes(root);
        Map<String, String> builtComparable = comparable(first.root());

        for (String stage : STAGES) {
            StageRuns.Outcome o = StageRuns.vae(stage, conf, root);
            assertEquals(0, o.code(), stage + ": " + o.err());
            assertTrue(o.out().contains(stage + ": ") && o.out().contains("is already complete; skipping"), stage + ": " + o.out());
        }
        assertEquals(built, TreeSnapshot.outputs(root), "a skipped stage changed its output");
        assertEquals(builtTimes, modificationTimes(root), "a skipped stage rewrote a file");
        assertTrue(Files.readString(root.resolve("runs/tiny/events.jsonl")).contains("\"outcome\":\"skipped\""),
                "the event log records the skips");

        for (String stage : STAGES) {
            StageRuns.Outcome o = StageRuns.vae(stage, conf, root, "--overwrite");
            assertEquals(0, o.code(), stage + ": " + o.err());
            assertFalse(o.out().contains("skipping"), stage + ": " + o.out());
        }
        assertNotEquals(built, TreeSnapshot.outputs(root), "--overwrite must rebuild (new provenance times at least)");
        Map<String, String> rebuilt = comparable(root);
        assertEquals(builtComparable, rebuilt, () -> "--overwrite rebuilt different outputs: " + differing(builtComparable, rebuilt)
                + "\nfirst run's metrics.jsonl:\n" + readQuietly(first.root().resolve("runs/tiny/metrics.jsonl"))
                + "\nrebuilt metrics.jsonl:\n" + readQuietly(root.resolve("runs/tiny/metrics.jsonl")));
    }

    /** The outputs whose digests differ (with both training logs, enough to see where two runs diverged). */
    private static List<String> differing(Map<String, String> a, Map<String, String> b) {
        return Stream.concat(a.keySet().stream(), b.keySet().stream()).distinct().filter(k -> !Objects.equals(a.get(k), b.get(k)))
                .sorted().toList();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static Map<String, Long> modificationTimes(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Map<String, Long> out = new TreeMap<>();
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !TreeSnapshot.isEventLog(p.toString())).toList()) {
                out.put(root.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
            }
            return out;
        }
    }

    /**
     * The outputs with timing left out: JSON without {@link #TIMING_FIELDS}, zips by entry contents, Parquet part files
     * without their random name part, Hadoop's checksum files left out (they follow the bytes compared here). The
     * identities recorded in provenance (the dataset's and the model's) are compared as they are: they must not
     * change when the same outputs are rebuilt.
     */
    private static Map<String, String> comparable(Path root) throws IOException {
        Map<String, String> snapshot = TreeSnapshot.of(root, (rel, bytes) -> {
            if (rel.endsWith(".zip")) {
                return zipEntries(bytes);
            }
            // Where the root is differs (eval/metrics.json names its model folder); what is in it must not.
            String text = new String(bytes, StandardCharsets.UTF_8).replace(root.toString(), "<root>");
            if (rel.endsWith(".json")) {
                return json(text).getBytes(StandardCharsets.UTF_8);
            }
            if (rel.endsWith(".jsonl")) {
                return text.lines().map(RerunDeterminismTest::json).collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
            }
            return bytes;
        });
        Map<String, String> out = new TreeMap<>();
        snapshot.forEach((rel, digest) -> {
            // The run's page shows the stages' times and speeds (events.jsonl, metrics.jsonl): it differs by design.
            if (!rel.endsWith(".crc") && !TreeSnapshot.isEventLog(rel) && !rel.endsWith("report/index.html")) {
                out.put(rel.replaceAll("part-(\\d+)-[0-9a-f-]{36}", "part-$1"), digest);
            }
        });
        return out;
    }

    private static String json(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            strip(node);
            return Json.mapper().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(TIMING_FIELDS);
        }
        node.forEach(RerunDeterminismTest::strip);
    }

    /** Entry names with the SHA-256 of their contents (DL4J's zip records the time each entry was written). */
    private static byte[] zipEntries(byte[] zip) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                sb.append(e.getName()).append(' ').append(TreeSnapshot.sha256(in.readAllBytes())).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
