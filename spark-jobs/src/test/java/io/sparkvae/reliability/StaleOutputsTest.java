package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs know which versions of their inputs they were made from (issue 16, items 2 and 3b). A dataset's identity
 * depends on its content and settings only, so preparing the same raw files again changes nothing downstream; a new
 * model makes the evaluation and pictures of the old one stale: {@code vae pipeline --plan} says {@code stale} (the
 * Snakefile reads it), a stage run alone says so in one line and skips, {@code vae pipeline} rebuilds them.
 */
@Tag("spark")
class StaleOutputsTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    Path tmp;

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("stale");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void preparingTheSameDataAgainKeepsItsIdentityAndANewModelMakesLaterOutputsStale() throws Exception {
        Path conf = StageRuns.trained().conf();
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        assertEquals(Map.of("prepare", "done", "train", "done", "evaluate", "done", "encode", "done", "render", "done", "generate", "done",
                "export", "done", "page", "done"), plan(conf, root));

        // 3b: the same raw files and settings, prepared again, are the same dataset (its manifest's time differs).
        Path manifest = root.resolve("datasets/mnist-limit200/manifest.json");
        String before = datasetHash(manifest);
        String manifestBytes = Files.readString(manifest);
        StageRuns.Outcome prepared = StageRuns.vae("prepare", conf, root, "--overwrite");
        assertEquals(0, prepared.code(), prepared.err());
        assertNotEquals(manifestBytes, Files.readString(manifest), "a new manifest was written (new createdAt)");
        assertEquals(before, datasetHash(manifest), "the dataset's identity does not depend on when it was made");
        assertEquals(before, provenance(root.resolve("runs/tiny/model/provenance.json")).get("datasetSha256").asText(),
                "and is what the model recorded");
        assertEquals(Map.of("prepare", "done", "train", "done", "evaluate", "done", "encode", "done", "render", "done", "generate", "done",
                "export", "done", "page", "done"), plan(conf, root));

        // 2: another model (another seed) replaces the one the evaluation and the pictures were made from.
        StageRuns.Outcome retrained = StageRuns.vae("train", conf, root, "--overwrite", "--set", "seed=7");
        assertEquals(0, retrained.code(), retrained.err());
        String newModel = provenance(root.resolve("runs/tiny/model/provenance.json")).get("modelSha256").asText();
        String oldModel = provenance(root.resolve("runs/tiny/eval/metrics.json")).get("modelSha256").asText();
        assertNotEquals(oldModel, newModel);
        Map<String, String> plan = plan(conf, root);
        assertEquals("done", plan.get("train"));
        assertEquals("stale", plan.get("evaluate"));
        assertEquals("stale", plan.get("encode"));
        assertEquals("stale", plan.get("render"));
        assertEquals("stale", plan.get("generate"));
        assertEquals("stale", plan.get("export"));
        assertEquals("stale", plan.get("page"));

        // Run alone without --overwrite, a stage says its output is stale and leaves it.
        Map<String, String> eval = TreeSnapshot.exact(root.resolve("runs/tiny/eval"));
        StageRuns.Outcome alone = StageRuns.vae("evaluate", conf, root, "--set", "seed=7");
        assertEquals(0, alone.code(), alone.err());
        assertTrue(alone.out().contains("eval is complete but stale: its model ") && alone.out().contains(" changed (made from "
                + oldModel.substring(0, 12) + "..., now " + newModel.substring(0, 12) + "...)"), alone.out());
        assertEquals(eval, TreeSnapshot.exact(root.resolve("runs/tiny/eval")));

        // The pipeline brings the run up to date: it rebuilds the five, and then everything is current.
        StageRuns.Outcome pipeline = StageRuns.vae("pipeline", conf, root, "--set", "seed=7");
        assertEquals(0, pipeline.code(), pipeline.err());
        for (String stale : List.of("[3/8] evaluate", "[4/8] encode", "[5/8] render", "[6/8] generate",
                "[7/8] export", "[8/8] page")) {
            assertTrue(pipeline.out().contains("pipeline: " + stale + " (output stale: its model "), pipeline.out());
        }
        assertTrue(pipeline.out().contains("pipeline: [2/8] train (output complete)"), pipeline.out());
        assertEquals(newModel, provenance(root.resolve("runs/tiny/eval/metrics.json")).get("modelSha256").asText());
        assertEquals(newModel, provenance(root.resolve("runs/tiny/render/reconstructions.json")).get("modelSha256").asText());
        assertEquals(newModel, provenance(root.resolve("runs/tiny/encode/test/_encode.json")).get("modelSha256").asText());
        assertEquals(newModel, provenance(root.resolve("runs/tiny/generate/samples.json")).get("modelSha256").asText());
        assertEquals(newModel, provenance(root.resolve("runs/tiny/export/model.json")).get("modelSha256").asText());
        assertEquals(Map.of("prepare", "done", "train", "done", "evaluate", "done", "encode", "done", "render", "done", "generate", "done",
                "export", "done", "page", "done"),
                plan(conf, root, "--set", "seed=7"));
    }

    /** The stage column of {@code vae pipeline --plan}. */
    private static Map<String, String> plan(Path conf, Path root, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("pipeline", "--plan", "--conf",
                conf.toString(), "--root", root.toString()));
        args.addAll(java.util.List.of(extra));
        StageRuns.Outcome o = StageRuns.command(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        Map<String, String> stages = new LinkedHashMap<>();
        for (String line : o.out().lines().toList()) {
            String[] f = line.split("\t");
            if (f.length >= 3) {
                stages.put(f[0], f[2]);
            }
        }
        return stages;
    }

    private static String datasetHash(Path manifest) {
        return DatasetManifest.fromJson(FILES.readString(FILES.path(manifest.toString())), manifest.toString()).hash();
    }

    private static JsonNode provenance(Path record) throws Exception {
        JsonNode node = Json.mapper().readTree(Files.readAllBytes(record));
        return node.has("provenance") ? node.get("provenance") : node;
    }
}
