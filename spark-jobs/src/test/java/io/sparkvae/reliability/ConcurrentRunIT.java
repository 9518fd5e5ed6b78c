package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code scripts/vae train} processes on one output: the second refuses while the first holds the lock
 * (exit 75, naming the output and the first's pid) and leaves the first undisturbed; a first run stopped with
 * SIGTERM releases its lock on the way out.
 */
class ConcurrentRunIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aSecondRunOfTheSameOutputRefusesWhileTheFirstHoldsItsLock() throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.shared().root().resolve("datasets"), root.resolve("datasets"));
        Path lock = root.resolve("runs/tiny/.model.lock");
        // Long enough that the first run is still training when the second has started and given up.
        List<String> args = List.of("train", "--conf", StageRuns.shared().conf().toString(), "--root", root.toString(),
                "--master", "local[2]", "--set", "train.epochs=200");

        Process first = ChildProcess.start(vae(args), ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "2g"), tmp.resolve("first.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4); // hang guard
            while (!Files.exists(lock)) {
                if (!first.isAlive() || System.nanoTime() > deadline) {
                    fail("the first run never took its lock; its log:\n" + ChildProcess.tailOf(tmp.resolve("first.log")));
                }
                Thread.sleep(100);
            }

            ChildProcess.Result second = ChildProcess.run(vae(args), ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "2g"),
                    tmp.resolve("second.log"), Duration.ofMinutes(3));
            assertTrue(first.isAlive(), "the first run ended before the second one checked: the test proves nothing");
            assertEquals(75, second.exitCode(), "EX_TEMPFAIL: retry later; " + second.tail());
            List<String> errors = second.output().lines().filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errors.size(), second.tail());
            assertTrue(errors.get(0).contains(root.resolve("runs/tiny/model") + " is being written by another run (train, pid "
                    + first.pid() + " on "), errors.get(0));

            first.destroy(); // SIGTERM, as a scheduler cancelling a job sends
            assertTrue(first.waitFor(2, TimeUnit.MINUTES), "the first run did not stop on SIGTERM");
            assertFalse(Files.exists(lock), "a run stopped with SIGTERM must release its lock");
            assertFalse(Files.exists(root.resolve("runs/tiny/model/_SUCCESS")), "the interrupted run claims a complete model");
        } finally {
            ChildProcess.kill(first);
        }
    }

    private static List<String> vae(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString()));
        cmd.addAll(args);
        return cmd;
    }
}
