package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.OutputLock;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow-engine door: scripts/workflow/Snakefile run by the real {@code snakemake} (a missing snakemake
 * fails this test). Interrupted during evaluate, it resumes without redoing prepare and train; with evaluate's
 * output deleted, only evaluate and encode (which runs after it) rerun; a bad-input failure (exit 2) is not retried.
 */
class SnakemakeWorkflowIT {
    private static final Pattern RULE = Pattern.compile("^(?:local)?rule (\\w+):$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void workflowResumesAfterAnInterruptionAndRerunsOnlyMissingStages() throws Exception {
        Path snakemake = ChildProcess.which("snakemake");
        assertNotNull(snakemake, "snakemake is not on PATH: apt-get install -y snakemake (.ci/run installs it)");
        Path root = tmp.resolve("work");
        Path raw = TestData.rawDir();
        String sets = "data.raw=" + raw + " data.limit=200 train.epochs=1 evaluate.is-samples=10";
        List<String> cmd = command(snakemake, root, sets);
        StageOutputs out = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri()));

        // 1. Interrupt the workflow once evaluate has started: SIGTERM to its whole process group (snakemake, the
        //    job's shell and the stage's JVM), as a terminal's Ctrl-C or a batch system's kill would. setsid gives the
        //    workflow a group of its own, so the signal does not reach this test's JVM.
        // The stage takes its output's lock once its JVM is up and before any Spark work: interrupted then, it is
        // interrupted at work, not while starting.
        Path evaluateLock = root.resolve("runs/punks-z2/.eval.lock");
        Path log1 = tmp.resolve("logs/1-interrupted.log");
        long t0 = System.nanoTime();
        List<String> inOwnGroup = new ArrayList<>(List.of("setsid"));
        inOwnGroup.addAll(cmd);
        Process p = ChildProcess.start(inOwnGroup, ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "2g"), log1);
        try {
            ChildProcess.await(p, log1, "evaluate holding its output's lock", () -> Files.exists(evaluateLock), Duration.ofMinutes(8));
            assertEquals(0, new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).inheritIO().start().waitFor(),
                    "kill the workflow's process group");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "snakemake did not stop on SIGTERM:\n" + ChildProcess.tailOf(log1));
        } finally {
            ChildProcess.kill(p);
        }
        System.out.printf("snakemake: interrupted after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.assertPrepared("punks-limit200", 200);
        out.assertTrained("punks-z2", 1);
        assertFalse(Files.exists(root.resolve("runs/punks-z2/eval/_SUCCESS")), "evaluate was interrupted");
        long prepared = out.successTime(out.datasetDir("punks-limit200"));
        long trained = out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "model"));

        // 2. Rerun: it resumes at evaluate, and runs whatever else had not completed (render, generate and export need
        //    only train, so Snakemake may have run them before evaluate was interrupted: with -j1 it picks any order).
        Set<String> expected = new TreeSet<>(Set.of("evaluate", "page", "all")); // the page comes after every stage
        for (String stage : List.of("encode/test", "render", "generate", "export")) {
            if (!Files.exists(root.resolve("runs/punks-z2/" + stage + "/_SUCCESS"))) {
                expected.add(stage.replace("/test", ""));
            }
        }
        ChildProcess.Result resumed = snakemake(cmd, "2-resumed");
        assertEquals(0, resumed.exitCode(), resumed.tail());
        assertEquals(expected, new TreeSet<>(rules(resumed.output())), resumed.tail());
        out.assertEvaluated("punks-z2", 200);
        out.assertEncoded("punks-z2", "test", 200);
        out.assertRendered("punks-z2");
        out.assertGenerated("punks-z2");
        out.assertExported("punks-z2");
        out.assertNoLeftovers();
        assertEquals(prepared, out.successTime(out.datasetDir("punks-limit200")));
        assertEquals(trained, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "model")));
        assertTrue(resumed.output().contains("test_neg_elbo = "), "summary with the metrics:\n" + resumed.tail());
        System.out.printf("snakemake: resumed run (%s) in %.1f s%n", expected, resumed.seconds());

        // 3. Delete a stage's output (evaluate: only encode and the page depend on it, all cheap to redo): only they rerun.
        long rendered = out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "render"));
        PipelineLauncherIT.delete(root.resolve("runs/punks-z2/eval"));
        ChildProcess.Result reevaluate = snakemake(cmd, "3-reevaluate");
        assertEquals(0, reevaluate.exitCode(), reevaluate.tail());
        assertEquals(Set.of("evaluate", "encode", "page", "all"), rules(reevaluate.output()), reevaluate.tail());
        out.assertEvaluated("punks-z2", 200);
        assertEquals(rendered, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "render")));
        assertEquals(trained, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "model")));
        System.out.printf("snakemake: evaluate and encode rerun in %.1f s%n", reevaluate.seconds());

        // 4. Everything complete: nothing to do.
        ChildProcess.Result noop = snakemake(cmd, "4-noop");
        assertEquals(0, noop.exitCode(), noop.tail());
        assertEquals(Set.of(), rules(noop.output()), noop.tail());

        // 5. The model replaced behind Snakemake's back while the later markers stay newer (as when evaluate commits scores
        //    of the old model just after train --overwrite committed a new one): the model's recorded identity changes,
        //    the evaluation's and pictures' markers are touched to now. By time stamps all is up to date; the plan says
        //    stale, and the workflow rebuilds the five stages that read the model.
        org.apache.hadoop.fs.Path provenance = new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "model/provenance.json");
        HadoopFiles files = HadoopFiles.withDefaults();
        com.fasterxml.jackson.databind.node.ObjectNode p6 = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.sparkvae.io.Json.mapper().readTree(files.readString(provenance));
        p6.put("modelSha256", "0".repeat(64));
        files.writeString(provenance, io.sparkvae.io.Json.write(p6));
        for (String later : List.of("eval", "encode/test", "render", "generate", "export", "report")) {
            Files.setLastModifiedTime(root.resolve("runs/punks-z2").resolve(later).resolve("_SUCCESS"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1000));
        }
        ChildProcess.Result stale = snakemake(cmd, "5-stale");
        assertEquals(0, stale.exitCode(), stale.tail());
        assertEquals(Set.of("evaluate", "encode", "render", "generate", "export", "page", "all"), rules(stale.output()), stale.tail());
        for (String later : List.of("evaluate", "encode", "render", "generate", "export", "page")) {
            assertTrue(stale.output().contains("workflow: " + later + ": ") && stale.count("is stale (its model ") >= 5, stale.tail());
        }
        assertEquals(trained, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "model")));

        // 6. Bad input (no raw data there) exits 2 and is not retried: the stage runs once.
        Path badRoot = tmp.resolve("bad");
        ChildProcess.Result bad = snakemake(command(snakemake, badRoot,
                "data.raw=" + tmp.resolve("no-such-raw") + " data.limit=200"), "6-bad");
        assertNotEquals(0, bad.exitCode(), bad.tail());
        assertEquals(1, bad.count("error: raw data file not found"), "exit 2 must not be retried:\n" + bad.tail());
        assertTrue(bad.output().contains("not retrying"), bad.tail());
    }

    private List<String> command(Path snakemake, Path root, String sets) {
        Path repo = ChildProcess.repo();
        return List.of(snakemake.toString(), "-s", repo.resolve("scripts/workflow/Snakefile").toString(),
                "-d", tmp.resolve("wd").toString(), "-j1", "--config", "conf=" + repo.resolve("conf/punks-z2.conf"),
                "root=" + root, "sets=" + sets, "master=local[2]");
    }

    private ChildProcess.Result snakemake(List<String> cmd, String name) {
        return ChildProcess.run(cmd, ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "2g"),
                tmp.resolve("logs").resolve(name + ".log"), Duration.ofMinutes(8));
    }

    /**
     * A stage whose output another live run is writing exits 75; the workflow waits {@code lock_pause} seconds and runs it
     * again, and once the other run has released the output the stage runs.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aStageWhoseOutputIsLockedIsRetriedAfterAPause() throws Exception {
        Path snakemake = ChildProcess.which("snakemake");
        assertNotNull(snakemake, "snakemake is not on PATH: apt-get install -y snakemake (.ci/run installs it)");
        Path root = tmp.resolve("locked");
        Path dataset = root.resolve("datasets/punks-limit200");
        List<String> cmd = new ArrayList<>(command(snakemake, root, "data.raw=" + TestData.rawDir() + " data.limit=200"));
        cmd.addAll(List.of("lock_pause=2", "lock_retries=100"));
        cmd.add(cmd.indexOf("--config"), dataset.resolve("_SUCCESS").toString()); // the target: just prepare
        HadoopFiles files = HadoopFiles.withDefaults();
        Path log = tmp.resolve("logs/locked.log");
        Process p;
        // Another live run (this test's JVM) holds the dataset's lock.
        try (OutputLock held = OutputLock.acquire(files, files.path(dataset.toString()), "prepare", OutputLock.Timing.DEFAULT,
                note -> {})) {
            p = ChildProcess.start(cmd, ChildProcess.repo(), Map.of("VAE_DRIVER_MEMORY", "2g"), log);
            ChildProcess.await(p, log, "a retry after exit 75", () -> ChildProcess.read(log).contains("(exit 75); retrying in 2s"),
                    Duration.ofMinutes(5));
        }
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), ChildProcess.tailOf(log));
        } finally {
            ChildProcess.kill(p);
        }
        ChildProcess.Result r = new ChildProcess.Result(p.exitValue(), ChildProcess.read(log), log, 0);
        assertEquals(0, r.exitCode(), r.tail());
        assertEquals(Set.of("prepare"), rules(r.output()), r.tail());
        assertTrue(r.count("is being written by another run (prepare, pid " + ProcessHandle.current().pid()) >= 1, r.tail());
        assertTrue(Files.exists(dataset.resolve("_SUCCESS")), r.tail());
    }

    /** The rules Snakemake ran ("rule x:" / "localrule x:" job headers). */
    static Set<String> rules(String output) {
        Set<String> rules = new TreeSet<>();
        Matcher m = RULE.matcher(output);
        while (m.find()) {
            rules.add(m.group(1));
        }
        return rules;
    }
}
