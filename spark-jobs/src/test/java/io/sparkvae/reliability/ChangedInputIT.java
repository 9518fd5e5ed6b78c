package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input replaced while a stage reads it (issue 16, item 2): a real {@code scripts/vae evaluate} process scores the
 * test split while another model is committed over the one it loaded, as a concurrent {@code train --overwrite}
 * commits. It must not commit scores of the old model under the new one: exit 1 (a rerun evaluates the new model),
 * one {@code error:} line naming the model, the earlier evaluation left as it was, nothing half-written.
 */
@Tag("spark")
@Tag("slow")
class ChangedInputIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void anEvaluationWhoseModelIsReplacedMidRunRefusesToCommit() throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        Path conf = StageRuns.trained().conf();
        // Another model of the same run (another seed), trained beside it to be committed over the first.
        StageRuns.Outcome other = StageRuns.vae("train", conf, root, "--set", "run.name=other", "--set", "seed=7");
        assertEquals(0, other.code(), other.err());
        Path run = root.resolve("runs/tiny");
        Map<String, String> eval = TreeSnapshot.exact(run.resolve("eval"));
        String readModel = identity(run.resolve("model/provenance.json"));

        Path log = tmp.resolve("logs/evaluate.log");
        // Enough importance samples that scoring takes seconds; the model is replaced as soon as scoring starts.
        Process evaluate = ChildProcess.start(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), "evaluate",
                        "--conf", conf.toString(), "--root", root.toString(), "--master", "local[2]", "--overwrite",
                        "--set", "evaluate.is-samples=20000"), ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "1g"), log);
        try {
            ChildProcess.await(evaluate, log, "scoring", () -> ChildProcess.read(log).contains("evaluate: scoring "),
                    java.time.Duration.ofMinutes(5));
            // What train's commit does: the new model, written beside, renamed over the old one.
            Path staged = run.resolve(".model.tmp-test");
            StageRuns.copyTree(root.resolve("runs/other/model"), staged);
            files.delete(files.path(staged.resolve(HadoopFiles.SUCCESS).toString()));
            files.commitDirectory(files.path(staged.toString()), files.path(run.resolve("model").toString()), true);
            assertTrue(evaluate.waitFor(5, TimeUnit.MINUTES), ChildProcess.tailOf(log));
        } finally {
            ChildProcess.kill(evaluate);
        }
        ChildProcess.Result r = new ChildProcess.Result(evaluate.exitValue(), ChildProcess.read(log), log, 0);
        String newModel = identity(run.resolve("model/provenance.json"));
        assertNotEquals(readModel, newModel);

        assertEquals(1, r.exitCode(), r.tail());
        List<String> errors = r.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(List.of("error: evaluate: not committing " + files.path(run.resolve("eval").toString()) + ": its model "
                + files.path(run.resolve("model").toString()) + " changed (made from " + readModel.substring(0, 12) + "..., now "
                + newModel.substring(0, 12) + "...) while evaluate ran; rerun evaluate to build it from the current inputs"),
                errors, r.tail());
        assertEquals(eval, TreeSnapshot.exact(run.resolve("eval")), "the earlier evaluation is as it was");
        new StageOutputs(files, files.path(root.toString())).assertNoLeftovers();
        assertTrue(StageRuns.named(run, ".eval.lock").isEmpty(), "lock released");
    }

    private static String identity(Path provenance) throws Exception {
        JsonNode p = Json.mapper().readTree(Files.readAllBytes(provenance));
        return p.get("modelSha256").asText();
    }
}
