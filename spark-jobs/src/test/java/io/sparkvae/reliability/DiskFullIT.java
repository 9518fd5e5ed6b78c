package io.sparkvae.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills while a stage writes (issue 16, item 13), for real: the stage's output folder is a tiny tmpfs,
 * mounted in a private mount namespace ({@code unshare --user --map-root-user --mount}, no privileges needed) around a
 * real {@code scripts/vae} process. prepare runs out in the executors' Parquet writes, train in a checkpoint the driver
 * writes. Each must exit 1 with one {@code error:} line naming what it was writing, and leave nothing in the full file
 * system (the listing is taken inside the namespace, before the tmpfs goes away with it).
 */
@Tag("spark")
@Tag("slow")
class DiskFullIT {
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final String LISTING = "== left in the full file system:";

    @TempDir
    Path tmp;

    @BeforeAll
    static void mountNamespacesAreAvailable() throws Exception {
        Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true").redirectErrorStream(true).start();
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, "this machine does not allow user and mount namespaces (unshare -Urm), which the test"
                + " needs to mount a small tmpfs without privileges");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void prepareOnAFullDiskExitsOneNamingTheDatasetAndLeavesNothing() throws Exception {
        Path root = tmp.resolve("root");
        Path datasets = Files.createDirectories(root.resolve("datasets"));
        // The dataset takes about 360 KB; 160 KB fill up in the first splits' Parquet files.
        ChildProcess.Result r = inTinyFileSystem(datasets, "160k", "prepare", root);
        String output = HadoopFiles.withDefaults().path(datasets.resolve("mnist-limit200").toString()).toString();
        assertFailedOnFullDisk(r, "error: no space left on device while writing " + output + " (its file system has ");
        assertEquals(List.of(), leftBehind(r), "nothing left in the full file system: " + r.tail());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void trainOnAFullDiskExitsOneNamingTheCheckpointAndLeavesNothing() throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.shared().root().resolve("datasets"), root.resolve("datasets"));
        Path runs = Files.createDirectories(root.resolve("runs"));
        // The exported minibatches (about 125 KB: one byte per 8-bit pixel) fit in 400 KB; the first checkpoint (the
        // model with Adam's state, about 620 KB) does not.
        ChildProcess.Result r = inTinyFileSystem(runs, "400k", "train", root);
        String checkpoint = HadoopFiles.withDefaults().path(runs.resolve("tiny/.model.training/checkpoints/epoch-001").toString())
                .toString();
        assertFailedOnFullDisk(r, "error: no space left on device while writing " + checkpoint + " (its file system has ");
        // The run's folder (made for its lock) stays, with nothing but its event log (telemetry, which records the
        // attempt where there is room for a line): no lock, no exported minibatches, no partial checkpoint.
        List<String> left = leftBehind(r).stream().filter(p -> !p.equals("./tiny/events.jsonl")).toList();
        assertEquals(List.of("./tiny"), left, "nothing left in the full file system: " + r.tail());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void trainWhoseExecutorsFillTheDiskNamesTheModelAndTheFreeSpaceWithoutTaskTraces() throws Exception {
        Path root = tmp.resolve("root");
        StageRuns.copyTree(StageRuns.shared().root().resolve("datasets"), root.resolve("datasets"));
        Path runs = Files.createDirectories(root.resolve("runs"));
        // The exported minibatches (about 125 KB), written by the executors' tasks, do not fit in 64 KB.
        ChildProcess.Result r = inTinyFileSystem(runs, "64k", "train", root);
        String model = HadoopFiles.withDefaults().path(runs.resolve("tiny/model").toString()).toString();
        assertFailedOnFullDisk(r, "error: no space left on device while writing " + model + " (its file system has ");
        assertTrue(r.output().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in task")),
                "no task traces: " + r.tail());
        List<String> left = leftBehind(r).stream().filter(p -> !p.equals("./tiny/events.jsonl")).toList();
        assertEquals(List.of("./tiny"), left, "nothing left in the full file system: " + r.tail());
    }

    private static void assertFailedOnFullDisk(ChildProcess.Result r, String errorStart) {
        assertEquals(1, r.exitCode(), r.tail());
        List<String> errors = r.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.tail());
        System.out.println("disk full: exit " + r.exitCode() + ": " + errors.get(0));
        assertTrue(errors.get(0).startsWith(errorStart), errors.get(0));
        assertTrue(errors.get(0).endsWith("; nothing was committed: free some space and rerun"), errors.get(0));
        assertFalse(r.output().contains("Exception in thread \"main\""), r.tail());
        // One line: no stack trace follows the error line.
        List<String> lines = r.output().lines().toList();
        int at = lines.indexOf(errors.get(0));
        assertTrue(at + 1 == lines.size() || !lines.get(at + 1).startsWith("\tat "), r.tail());
    }

    /**
     * Runs {@code scripts/vae <stage>} with a tmpfs of {@code size} mounted on {@code mountPoint}, visible to that process
     * alone, then lists what is left in it.
     */
    private ChildProcess.Result inTinyFileSystem(Path mountPoint, String size, String stage, Path root) {
        String script = "m=$1; mount -t tmpfs -o size=$2 tmpfs \"$m\" || exit 90; shift 2; \"$@\"; rc=$?; echo '" + LISTING
                + "'; (cd \"$m\" && find . -mindepth 1 | sort); exit $rc";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh",
                mountPoint.toString(), size, ChildProcess.repo().resolve("scripts/vae").toString(), stage,
                "--conf", StageRuns.shared().conf().toString(), "--root", root.toString(), "--master", "local[2]",
                "--set", "train.epochs=1"));
        ChildProcess.Result r = ChildProcess.run(cmd, ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "1g"),
                tmp.resolve("logs/" + stage + ".log"), LIMIT);
        assertTrue(r.exitCode() != 90, "could not mount a tmpfs: " + r.tail());
        return r;
    }

    private static List<String> leftBehind(ChildProcess.Result r) {
        List<String> lines = r.output().lines().toList();
        int from = lines.lastIndexOf(LISTING);
        assertTrue(from >= 0, r.tail());
        return lines.subList(from + 1, lines.size());
    }
}
