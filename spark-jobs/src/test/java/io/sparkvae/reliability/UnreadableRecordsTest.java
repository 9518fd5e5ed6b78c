package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.Json;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output whose record cannot be read (a truncated {@code eval/metrics.json} or dataset {@code manifest.json}
 * without its checksum file) is not a usable output, {@code _SUCCESS} or not: {@code pipeline --plan} says so
 * ({@code stale}, with the reason) and {@code pipeline} rebuilds it.
 */
@Tag("spark")
class UnreadableRecordsTest {

    @TempDir
    Path tmp;

    @Test
    void planAndPipelineRebuildAnOutputWhoseRecordIsCutShort() throws Exception {
        Path conf = StageRuns.trained().conf();
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        Path metrics = root.resolve("runs/tiny/eval/metrics.json");
        Path manifest = root.resolve("datasets/mnist-limit200/manifest.json");
        truncate(metrics);
        truncate(manifest);

        Map<String, String> plan = plan(conf, root);
        assertTrue(plan.get("evaluate").startsWith("stale\tits record ") && plan.get("evaluate").contains("metrics.json cannot be read"),
                plan.toString());
        assertTrue(plan.get("prepare").startsWith("stale\tits record ") && plan.get("prepare").contains("manifest.json"),
                plan.toString());
        assertEquals("done", plan.get("train"));

        StageRuns.Outcome pipeline = StageRuns.vae("pipeline", conf, root);
        assertEquals(0, pipeline.code(), pipeline.out() + pipeline.err());
        assertTrue(pipeline.out().contains("pipeline: [3/" + io.sparkvae.layout.StageDescriptor.pipeline().size() + "] evaluate (output stale: its record "), pipeline.out());
        assertTrue(Json.mapper().readTree(Files.readAllBytes(metrics)).has("provenance"), "metrics.json rebuilt");
        Json.mapper().readTree(Files.readAllBytes(manifest));
        plan(conf, root).forEach((stage, state) -> assertEquals("done", state, stage + " after the pipeline"));
    }

    /** Cuts a record in half, as a crash of a non-atomic copy would, and drops its checksum file with it. */
    private static void truncate(Path record) throws Exception {
        byte[] bytes = Files.readAllBytes(record);
        Files.write(record, Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(record.resolveSibling("." + record.getFileName() + ".crc"));
    }

    /** Stage name to the rest of its {@code vae pipeline --plan} line after the output (state and reason). */
    private static Map<String, String> plan(Path conf, Path root) {
        StageRuns.Outcome o = StageRuns.command("pipeline", "--plan", "--conf", conf.toString(), "--root", root.toString());
        assertEquals(0, o.code(), o.err());
        Map<String, String> stages = new LinkedHashMap<>();
        for (String line : o.out().lines().toList()) {
            String[] f = line.split("\t", 3);
            if (f.length == 3 && !f[0].equals("run")) {
                stages.put(f[0], f[2]);
            }
        }
        return stages;
    }
}
