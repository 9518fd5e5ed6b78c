package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.Failures;
import io.sparkvae.job.OutputLock;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stage whose output another live run is writing (it holds the output's lock) exits 75, sysexits.h's EX_TEMPFAIL,
 * not 2: retrying later helps, since the other run then has finished and the stage skips. One {@code error:} line
 * naming the output and the holder; nothing changed. The pipeline stops at that stage with the same code and says
 * why. (Snakemake's retry of it: {@code pipeline/SnakemakeWorkflowIT}.)
 */
@Tag("spark")
class LockConflictTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"prepare", "train", "evaluate", "render", "pipeline"})
    void aLockedOutputExitsSeventyFiveNamingTheHolderAndChangesNothing(String command) throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        String stage = command.equals("pipeline") ? "prepare" : command;
        Path output = root.resolve(switch (stage) {
            case "prepare" -> "datasets/mnist-limit200";
            case "train" -> "runs/tiny/model";
            case "evaluate" -> "runs/tiny/eval";
            default -> "runs/tiny/render";
        });
        try (OutputLock held = OutputLock.acquire(FILES, FILES.path(output.toString()), stage, OutputLock.Timing.DEFAULT,
                note -> {})) {
            Map<String, String> before = TreeSnapshot.outputs(root);
            StageRuns.Outcome o = StageRuns.vae(command, StageRuns.trained().conf(), root, "--overwrite");

            assertEquals(Failures.EXIT_OUTPUT_BUSY, o.code(), o.out() + o.err());
            assertEquals(75, o.code(), "EX_TEMPFAIL");
            String err = o.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("error: " + FILES.path(output.toString()) + " is being written by another run ("
                    + stage + ", pid " + ProcessHandle.current().pid() + " on "), err);
            assertEquals(before, TreeSnapshot.outputs(root), "nothing changed");
            if (command.equals("pipeline")) {
                assertTrue(o.out().contains("pipeline: prepare failed with exit code 75")
                        && o.out().contains("another run is writing its output"), o.out());
            }
        }
    }
}
