package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.model.EpochMetrics;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.VaeStore;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TestData;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults while {@code train} runs, on real processes (issue #7): an executor JVM SIGKILLed in the middle of an
 * epoch, and the whole stage (its driver JVM) SIGKILLed after its second checkpoint, then resumed. Both end like an
 * undisturbed run of the same seed. The stage runs through {@code scripts/vae}, as users run it.
 */
class TrainFaultsIT {
    private static final int EPOCHS = 3;
    /** Relative tolerance on the final validation -ELBO against an undisturbed run (measured difference: 0, see below). */
    private static final double TOLERANCE = 1e-3;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final Map<String, String> SMALL_DRIVER = Map.of("VAE_DRIVER_MEMORY", "1g");

    @TempDir
    static Path shared;

    private static Path conf;
    private static Path root;
    private static StageOutputs outputs;

    @BeforeAll
    static void prepareDataset() throws Exception {
        conf = shared.resolve("faults.conf");
        // 12,000 images per split: 60 minibatches per worker per epoch, averaged once, so an epoch's training tasks run
        // for a second or more (a step takes about 10 ms once the executors keep the minibatches): long enough to be
        // killed in flight.
        Files.writeString(conf, "data { dataset = mnist, raw = \"" + TestData.rawDir() + "\", limit = 12000, partitions = 2 }\n"
                + "train { epochs = " + EPOCHS + ", averaging-frequency = 60 }\n");
        root = shared.resolve("root");
        StageRuns.prepare(conf, root);
        outputs = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri()));
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void anExecutorKilledMidEpochIsReplacedAndTheRunEndsAsAnUndisturbedOne() throws Exception {
        List<String> cluster = LocalCluster.stageOptions(2, 1, 1024);
        Map<String, String> env = new HashMap<>(LocalCluster.childEnv());
        env.putAll(SMALL_DRIVER);
        // Spark's "Lost task ... ExecutorLostFailure" warning, hidden from stderr by default, is the proof below that
        // the kill hit a task in flight.
        env.put("VAE_LOG_LEVEL", "WARN");
        ChildProcess.Result undisturbed = ChildProcess.run(train("undisturbed", cluster), ChildProcess.repo(), env,
                log("undisturbed"), RUN_LIMIT);
        assertEquals(0, undisturbed.exitCode(), undisturbed.tail());

        Path log = log("disturbed");
        Process driver = ChildProcess.start(train("disturbed", cluster), ChildProcess.repo(), env, log);
        LocalCluster.Executor victim;
        try {
            ChildProcess.await(driver, log, "epoch 1", () -> ChildProcess.read(log).contains("epoch 1/" + EPOCHS),
                    RUN_LIMIT);
            List<LocalCluster.Executor> executors = LocalCluster.executors(driver.toHandle());
            assertEquals(2, executors.size(), "executor JVMs under the driver: " + executors);
            victim = executors.get(0);
            // Epoch 2's training round keeps each executor's core busy for seconds; between jobs they idle.
            ChildProcess.await(driver, log, "a busy executor " + victim.id(), () -> busy(victim.process()), RUN_LIMIT);
            assertTrue(victim.process().destroyForcibly(), "SIGKILL sent to executor " + victim.id());
            victim.process().onExit().get(30, TimeUnit.SECONDS);
            assertTrue(driver.waitFor(RUN_LIMIT.toMinutes(), TimeUnit.MINUTES), "train did not finish:\n" + ChildProcess.tailOf(log));
        } finally {
            ChildProcess.kill(driver);
        }
        ChildProcess.Result disturbed = new ChildProcess.Result(driver.exitValue(), ChildProcess.read(log), log, 0);

        assertEquals(0, disturbed.exitCode(), disturbed.tail());
        // SIGKILL is signal 9: the standalone worker reports the executor's exit as 128 + 9.
        List<String> lost = disturbed.output().lines().filter(l -> l.startsWith("train: executor ")).toList();
        assertEquals(List.of("train: executor " + victim.id() + " lost (Command exited with code 137); Spark re-runs its tasks"),
                lost, disturbed.tail());
        // Spark's own report that a task was running on it: the kill hit an epoch in flight, not an idle moment.
        assertTrue(disturbed.output().contains("executor " + victim.id() + "): ExecutorLostFailure"), disturbed.tail());
        outputs.assertTrained("disturbed", EPOCHS);

        double expected = finalValNegElbo("undisturbed");
        double actual = finalValNegElbo("disturbed");
        // An epoch whose workers averaged among themselves fails whole and the driver's loop trains it again.
        System.out.printf("executor loss: final val -ELBO %.6f vs undisturbed %.6f (difference %.2e); epochs retrained by the"
                + " driver's loop: %d%n", actual, expected, actual - expected,
                disturbed.output().lines().filter(l -> l.contains("could not average among themselves")).count());
        assertEquals(expected, actual, TOLERANCE * expected);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aKilledTrainResumesFromTheNewestGoodCheckpoint() throws Exception {
        List<String> local = List.of("--master", "local[2]");
        ChildProcess.Result straight = ChildProcess.run(train("straight", local), ChildProcess.repo(), SMALL_DRIVER,
                log("straight"), RUN_LIMIT);
        assertEquals(0, straight.exitCode(), straight.tail());

        Path run = root.resolve("runs/killed");
        // A training writes beside the model folder until its commit (RunLayout.modelAttempt).
        Path checkpoints = run.resolve(".model.training/checkpoints");
        Path log = log("killed");
        Process driver = ChildProcess.start(train("killed", local), ChildProcess.repo(), SMALL_DRIVER, log);
        try {
            ChildProcess.await(driver, log, "checkpoint epoch-002",
                    () -> Files.exists(checkpoints.resolve("epoch-002/_SUCCESS")), RUN_LIMIT);
            // scripts/vae execs java, so this is the driver JVM itself; destroyForcibly is SIGKILL on Linux.
            driver.destroyForcibly();
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 9, driver.exitValue(), "the driver died of SIGKILL");
        } finally {
            ChildProcess.kill(driver);
        }

        // Nothing half-written is visible as complete: no final model, and every epoch-NNN checkpoint loads.
        assertFalse(Files.exists(run.resolve("model/_SUCCESS")), "the killed run must not look finished");
        HadoopFiles files = HadoopFiles.withDefaults();
        Checkpoints written = new Checkpoints(files, new org.apache.hadoop.fs.Path(checkpoints.toUri()), 0);
        List<Integer> epochs = written.epochsNewestFirst();
        assertTrue(epochs.size() >= 2 && epochs.get(0) < EPOCHS, "checkpoints of the killed run: " + epochs);
        for (int epoch : epochs) {
            VaeStore.load(written.dir(epoch), files); // throws on a missing marker or an unreadable model
        }
        assertFalse(StageRuns.named(run, ".train-batches.tmp-").isEmpty(), "the killed run's exported minibatches remain");

        // The newest checkpoint goes bad on disk (truncated): the resumed run must skip it and use the one before.
        int newest = epochs.get(0);
        Path damaged = checkpoints.resolve(String.format("epoch-%03d/%s", newest, VaeStore.MODEL));
        try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        List<String> resumeArgs = new ArrayList<>(local);
        resumeArgs.add("--resume");
        ChildProcess.Result resumed = ChildProcess.run(train("killed", resumeArgs), ChildProcess.repo(), SMALL_DRIVER,
                log("resumed"), RUN_LIMIT);
        assertEquals(0, resumed.exitCode(), resumed.tail());
        List<String> warnings = resumed.output().lines().filter(l -> l.contains("skipping unusable checkpoint")).toList();
        assertEquals(1, warnings.size(), resumed.tail());
        assertTrue(warnings.get(0).contains(String.format("epoch-%03d", newest)), warnings.get(0));
        assertTrue(resumed.output().contains(String.format("resuming after epoch %d from ", newest - 1)), resumed.tail());
        for (int e = 1; e <= EPOCHS; e++) {
            assertEquals(e >= newest, resumed.output().contains("epoch " + e + "/" + EPOCHS), "epoch " + e + " trained: " + resumed.tail());
        }
        outputs.assertTrained("killed", EPOCHS);
        assertTrue(StageRuns.named(run, ".train-batches.tmp-").isEmpty(), "the killed run's export is cleaned up");
        assertTrue(StageRuns.named(run.resolve("model/checkpoints"), ".epoch-").isEmpty(), "no partial checkpoints left");
        assertFalse(Files.exists(run.resolve(".model.training")), "the training's folder became the model");

        double expected = finalValNegElbo("straight");
        double actual = finalValNegElbo("killed");
        System.out.printf("driver loss: final val -ELBO %.6f vs uninterrupted %.6f (difference %.2e)%n", actual, expected,
                actual - expected);
        assertEquals(expected, actual, TOLERANCE * expected);
    }

    /** True when {@code p} used more than half a core over the next 300 ms. */
    private static boolean busy(ProcessHandle p) {
        Duration before = p.info().totalCpuDuration().orElse(Duration.ZERO);
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Duration after = p.info().totalCpuDuration().orElse(Duration.ZERO);
        return after.minus(before).toMillis() > 150;
    }

    private static List<String> train(String run, List<String> options) {
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), "train",
                "--conf", conf.toString(), "--root", root.toString(), "--set", "run.name=" + run));
        cmd.addAll(options);
        return cmd;
    }

    private static Path log(String name) {
        return shared.resolve("logs").resolve(name + ".log");
    }

    private static double finalValNegElbo(String run) throws Exception {
        List<EpochMetrics> m = EpochMetrics.parse(Files.readString(root.resolve("runs").resolve(run).resolve("metrics.jsonl")), run + "/metrics.jsonl");
        assertEquals(EPOCHS, m.size(), run + " metrics: " + m);
        return m.get(m.size() - 1).valNegElbo();
    }
}
