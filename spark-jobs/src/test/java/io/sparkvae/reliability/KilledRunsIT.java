package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.VaeStore;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages SIGKILLed mid-run, as real {@code scripts/vae} processes (issue 16, items 1 and 5): a killed
 * {@code train --overwrite} leaves the old model complete and usable and {@code --resume} continues the new attempt;
 * a killed {@code prepare} leaves its temporary sibling, which the next run sweeps.
 */
@Tag("spark")
@Tag("slow")
class KilledRunsIT {
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final Map<String, String> ENV = Map.of("VAE_DRIVER_MEMORY", "1g");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aKilledTrainOverwriteKeepsTheOldModelAndResumeContinuesTheNewAttempt() throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        Path run = root.resolve("runs/tiny");
        Path model = run.resolve("model");
        Path attempt = run.resolve(".model.training");
        Map<String, String> oldModel = TreeSnapshot.exact(model);
        String oldLog = Files.readString(run.resolve("metrics.jsonl"));
        HadoopFiles files = HadoopFiles.withDefaults();

        // A long retraining with another seed, killed (SIGKILL: no clean-up runs) after its second checkpoint.
        Path log = tmp.resolve("logs/overwrite.log");
        Process train = ChildProcess.start(vae(root, "train", "--overwrite", "--set", "seed=7", "--set", "train.epochs=30"),
                ChildProcess.repo(), ENV, log);
        try {
            ChildProcess.await(train, log, "the new attempt's checkpoint epoch-002",
                    () -> Files.exists(attempt.resolve("checkpoints/epoch-002/_SUCCESS")), LIMIT);
            train.destroyForcibly(); // scripts/vae execs java: this is the stage's JVM
            assertTrue(train.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 9, train.exitValue(), "died of SIGKILL");
        } finally {
            ChildProcess.kill(train);
        }
        assertEquals(oldModel, TreeSnapshot.exact(model), "the old model is untouched, _SUCCESS included");
        VaeStore.load(files.path(model.toString()), files); // complete and loadable
        assertEquals(oldLog, Files.readString(run.resolve("metrics.jsonl")), "its training log still describes it");
        assertTrue(Files.exists(run.resolve("eval/_SUCCESS")), "the evaluation of the old model still matches it");

        // Resuming the overwrite continues the new attempt (seed 7), not the old model, up to the epochs now asked for.
        ChildProcess.Result resumed = ChildProcess.run(vae(root, "train", "--overwrite", "--resume", "--set", "seed=7",
                "--set", "train.epochs=3"), ChildProcess.repo(), ENV, tmp.resolve("logs/resumed.log"), LIMIT);
        assertEquals(0, resumed.exitCode(), resumed.tail());
        Matcher from = Pattern.compile("resuming after epoch (\\d+) from \\S*/\\.model\\.training/checkpoints/epoch-0*(\\d+)")
                .matcher(resumed.output());
        assertTrue(from.find(), resumed.tail());
        int continuedAfter = Integer.parseInt(from.group(1));
        assertTrue(continuedAfter >= 2 && continuedAfter <= 3, resumed.tail());
        for (int e = 1; e <= 3; e++) {
            assertEquals(e > continuedAfter, resumed.output().contains("epoch " + e + "/3"), "epoch " + e + ": " + resumed.tail());
        }
        JsonNode provenance = Json.mapper().readTree(Files.readAllBytes(model.resolve("provenance.json")));
        assertEquals(7, provenance.get("seed").asInt(), "the new attempt's model");
        assertEquals(3, provenance.get("config").get("train").get("epochs").asInt());
        List<EpochMetrics> history = EpochMetrics.parse(Files.readString(run.resolve("metrics.jsonl")), "metrics.jsonl");
        assertEquals(List.of(1, 2, 3), history.stream().map(EpochMetrics::epoch).toList(), "the new model's log");
        assertFalse(Files.exists(attempt), "the attempt became the model");
        new StageOutputs(files, files.path(root.toString())).assertNoLeftovers();
        assertTrue(Files.exists(model.resolve("checkpoints/epoch-003/_SUCCESS")), "the model carries its checkpoints");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aKilledPrepareLeavesATemporarySiblingThatTheNextRunSweeps() throws Exception {
        Path root = tmp.resolve("root");
        Path datasets = root.resolve("datasets");
        Path log = tmp.resolve("logs/prepare.log");
        Process prepare = ChildProcess.start(vae(root, "prepare", "--set", "data.limit=2000"), ChildProcess.repo(), ENV, log);
        try {
            // Killed once its first split is written, so the temporary sibling is there for seconds more.
            ChildProcess.await(prepare, log, "the first split in the temporary sibling", () -> temporary(datasets).stream()
                    .anyMatch(t -> Files.exists(t.resolve("train/_SUCCESS"))), LIMIT);
            prepare.destroyForcibly();
            assertTrue(prepare.waitFor(30, TimeUnit.SECONDS));
        } finally {
            ChildProcess.kill(prepare);
        }
        List<Path> debris = temporary(datasets);
        assertEquals(1, debris.size(), "what the killed run left: " + debris);
        assertFalse(Files.exists(datasets.resolve("mnist-limit2000/_SUCCESS")));

        ChildProcess.Result rerun = ChildProcess.run(vae(root, "prepare", "--set", "data.limit=2000"), ChildProcess.repo(), ENV,
                tmp.resolve("logs/rerun.log"), LIMIT);
        assertEquals(0, rerun.exitCode(), rerun.tail());
        assertEquals(1, rerun.count("prepare: deleted " + HadoopFiles.withDefaults().path(debris.get(0).toString())
                + " (left by a run that was killed)"), rerun.tail());
        assertEquals(List.of(), temporary(datasets), "swept");
        assertTrue(Files.exists(datasets.resolve("mnist-limit2000/_SUCCESS")));
    }

    private static List<Path> temporary(Path datasets) {
        return StageRuns.named(datasets, ".mnist-limit2000.tmp-");
    }

    private static List<String> vae(Path root, String stage, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), stage,
                "--conf", StageRuns.trained().conf().toString(), "--root", root.toString(), "--master", "local[2]"));
        cmd.addAll(List.of(extra));
        return cmd;
    }
}
