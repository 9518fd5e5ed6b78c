package io.sparkvae.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.TestData;
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
 * CI's reproduction-report door: a tiny version of the shipped depth-vs-width sweep (300 examples per split, one
 * epoch) through {@code scripts/experiments/run.sh}, then {@code scripts/experiments/report.sh} into a temp folder.
 */
class ExperimentSweepIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void tinySweepRunsInOneSparkApplicationAndItsReportListsEveryRun() throws Exception {
        TestData.rawDir(); // fails (never skips) when the data sets were not fetched
        Path root = tmp.resolve("work");
        ChildProcess.Result sweep = script("run", "scripts/experiments/run.sh", "depth-vs-width", "--root", root.toString(),
                "--master", "local[2]", "--set", "data.limit=300", "--set", "train.epochs=1", "--set", "evaluate.is-samples=10");
        assertEquals(0, sweep.exitCode(), sweep.tail());
        System.out.printf("experiment: tiny depth-vs-width sweep (6 runs) in %.1f s%n", sweep.seconds());
        assertEquals(1, sweep.sparkApplicationsStarted(), "the sweep's runs must share one Spark application");

        ExperimentResults results = ExperimentResults.parse(
                Files.readString(root.resolve("experiments/depth-vs-width/results.json")), "results.json");
        List<String> names = results.runs().stream().map(ExperimentResults.RunResult::name).toList();
        assertEquals(List.of("depth-vs-width-mnist-500", "depth-vs-width-mnist-1000", "depth-vs-width-mnist-500x2",
                "depth-vs-width-punks-500", "depth-vs-width-punks-1000", "depth-vs-width-punks-500x2"), names);
        StageOutputs out = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri()));
        for (ExperimentResults.RunResult r : results.runs()) {
            assertEquals(300, r.examplesSeen(), r.name() + ": one epoch of 300");
            assertEquals(1, r.curve().size(), r.name());
            out.assertEvaluated(r.name(), 300);
        }
        out.assertNoLeftovers();

        Path docs = tmp.resolve("docs");
        ChildProcess.Result report = script("report", "scripts/experiments/report.sh", "--root", root.toString(), "--out", docs.toString());
        assertEquals(0, report.exitCode(), report.tail());
        String md = Files.readString(docs.resolve("REPRODUCTION.md"));
        for (String name : names) {
            assertTrue(md.contains("| `" + name + "` |"), "report lists " + name);
            assertTrue(Files.isRegularFile(docs.resolve("img/reproduction/" + name + "-manifold.png")), name + " manifold");
        }
        StageOutputs images = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(docs.toUri()));
        for (String chart : List.of("depth-vs-width-curves-1.png", "depth-vs-width-curves-2.png")) {
            Path p = docs.resolve("img/reproduction/" + chart);
            assertTrue(md.contains("](img/reproduction/" + chart + ")"), chart + " in the report");
            images.assertPng(new org.apache.hadoop.fs.Path(p.toUri()));
        }
        assertTrue(md.contains("### Claim 2: "), md);
        assertTrue(md.contains("scripts/experiments/run.sh depth-vs-width --root " + root), "regenerate command:\n" + md);
    }

    private ChildProcess.Result script(String log, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, ChildProcess.repo().resolve(command[0]).toString());
        // INFO logging makes every SparkContext start visible ("Running Spark version").
        return ChildProcess.run(cmd, ChildProcess.repo(), Map.of("VAE_LOG_LEVEL", "INFO", "VAE_DRIVER_MEMORY", "3g"),
                tmp.resolve("logs").resolve(log + ".log"), Duration.ofMinutes(10));
    }
}
