package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.OutputLock;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code train --overwrite} killed mid-training leaves its lock and its exported minibatches
 * ({@code .train-batches.tmp-*}) beside a complete older model. A plain {@code train} (which skips) or a
 * {@code pipeline} sweeps both, as a stage that rebuilds does, and leaves every output as it was.
 */
@Tag("spark")
class DeadRunDebrisTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train", "pipeline"})
    void aSkippingRunSweepsTheKilledTrainingsLockAndMinibatches(String command) throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.trained().root(), root);
        Path run = root.resolve("runs/tiny");
        Map<String, String> before = TreeSnapshot.outputs(root);
        Path lock = deadRunsLock(run.resolve("model"));
        Path batches = run.resolve(".train-batches.tmp-" + java.util.UUID.randomUUID());
        Files.createDirectories(batches);
        Files.write(batches.resolve("part-00000.bin"), new byte[4096]);

        StageRuns.Outcome o = StageRuns.vae(command, StageRuns.trained().conf(), root);

        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("is already complete; skipping") || o.out().contains("(output complete)"), o.out());
        assertFalse(Files.exists(lock), "the dead run's lock is left: " + o.out());
        assertFalse(Files.exists(batches), "the dead run's minibatches are left: " + o.out());
        assertTrue(o.out().contains("took over the lock of ") && o.out().contains("deleted " + FILES.path(batches.toString())),
                o.out());
        assertEquals(before, TreeSnapshot.outputs(root), "the outputs are as they were before the killed run");
    }

    /** Writes the lock a run of this machine holds while it trains into {@code output}, naming a process that has ended. */
    private static Path deadRunsLock(Path output) throws Exception {
        String json;
        try (OutputLock held = OutputLock.acquire(FILES, FILES.path(output.toString()), "train", OutputLock.Timing.DEFAULT,
                note -> {})) {
            json = FILES.readString(OutputLock.lockFile(FILES.path(output.toString())));
        }
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String self = "\"pid\" : " + ProcessHandle.current().pid();
        assertTrue(json.contains(self), json);
        Path lock = Path.of(OutputLock.lockFile(FILES.path(output.toString())).toUri());
        Files.write(lock, json.replace(self, "\"pid\" : " + ended.pid()).getBytes(StandardCharsets.UTF_8));
        return lock;
    }
}
