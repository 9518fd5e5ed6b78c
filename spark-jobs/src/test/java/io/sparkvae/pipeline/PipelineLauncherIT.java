package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local door: {@code scripts/vae pipeline} (default config conf/punks-z2.conf) runs all four stages in one
 * JVM and one Spark application, prints the metrics and pictures, skips complete stages (without starting
 * Spark), reruns a deleted one, refuses a bad config with exit 2.
 */
class PipelineLauncherIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void pipelineRunsSkipsAndResumes() throws Exception {
        Path root = tmp.resolve("work");
        List<String> small = List.of("--root", root.toString(), "--master", "local[2]", "--set", "data.limit=200",
                "--set", "train.epochs=1", "--set", "evaluate.is-samples=10");

        ChildProcess.Result first = vae("first", small);
        assertEquals(0, first.exitCode(), first.tail());
        System.out.printf("pipeline: first run (all seven stages) in %.1f s%n", first.seconds());
        assertEquals(1, first.sparkApplicationsStarted(), "the seven stages must share one Spark application");
        assertTrue(first.output().contains("pipeline: all " + io.sparkvae.layout.StageDescriptor.pipeline().size() + " stages complete"), first.tail());
        assertTrue(first.output().contains("test_neg_elbo = "), "eval metrics printed:\n" + first.tail());
        List<String> pictures = printedPictures(first.output());
        assertFalse(pictures.isEmpty(), "no picture paths printed:\n" + first.tail());
        for (String p : pictures) {
            assertTrue(Files.isRegularFile(Path.of(p)), "printed picture does not exist: " + p);
        }

        StageOutputs out = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri()));
        out.assertPrepared("punks-limit200", 200);
        out.assertTrained("punks-z2", 1);
        out.assertEvaluated("punks-z2", 200);
        out.assertEncoded("punks-z2", "test", 200);
        out.assertGenerated("punks-z2");
        out.assertExported("punks-z2");
        assertTrue(Files.size(root.resolve("runs/punks-z2/report/index.html")) > 0, "the run's page");
        assertTrue(first.output().contains("page (open it in a browser): "), first.tail());
        assertEquals(pictures.size(), out.assertRendered("punks-z2").size() + out.listFiles(
                new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), "generate"), ".png").size(), "every picture printed");
        out.assertNoLeftovers();
        Map<String, Long> done = markerTimes(out);

        ChildProcess.Result again = vae("again", small);
        assertEquals(0, again.exitCode(), again.tail());
        System.out.printf("pipeline: rerun over complete outputs in %.1f s%n", again.seconds());
        assertEquals(done, markerTimes(out), "complete stages must be skipped");
        assertEquals(0, again.sparkApplicationsStarted(), "skipping complete stages must not even start Spark");

        // Delete one stage's output (evaluate: the cheapest to redo): only that stage runs again.
        delete(root.resolve("runs/punks-z2/eval"));
        ChildProcess.Result resumed = vae("resumed", small);
        assertEquals(0, resumed.exitCode(), resumed.tail());
        System.out.printf("pipeline: rerun after deleting eval/ in %.1f s%n", resumed.seconds());
        Map<String, Long> after = markerTimes(out);
        for (String kept : List.of("prepare", "model", "encode/test", "render", "generate", "export", "report")) {
            assertEquals(done.get(kept), after.get(kept), kept + " must not be rebuilt");
        }
        assertTrue(after.get("eval") > done.get("eval"), "evaluate must be rebuilt");
        out.assertEvaluated("punks-z2", 200);

        // A bad config stops before any stage with exit 2 and one line naming the key.
        List<String> bad = new ArrayList<>(small);
        bad.addAll(List.of("--set", "train.epochs=0"));
        ChildProcess.Result refused = vae("bad", bad);
        assertEquals(2, refused.exitCode(), refused.tail());
        List<String> errors = refused.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), refused.tail());
        assertTrue(errors.get(0).contains("train.epochs"), errors.get(0));
    }

    private ChildProcess.Result vae(String name, List<String> args) {
        Path repo = ChildProcess.repo();
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("scripts/vae").toString(), "pipeline"));
        cmd.addAll(args);
        TestData.rawDir(); // fails (never skips) when the data sets were not fetched
        // INFO logging makes every SparkContext start visible ("Running Spark version").
        return ChildProcess.run(cmd, repo, Map.of("VAE_LOG_LEVEL", "INFO", "VAE_DRIVER_MEMORY", "2g"),
                tmp.resolve("logs").resolve(name + ".log"), Duration.ofMinutes(8));
    }

    /** The lines under "pictures (n):" in the pipeline's summary. */
    static List<String> printedPictures(String output) {
        List<String> lines = output.lines().toList();
        List<String> pics = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("pictures (")) {
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("  "); j++) {
                    pics.add(lines.get(j).strip());
                }
            }
        }
        return pics;
    }

    static Map<String, Long> markerTimes(StageOutputs out) {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("prepare", out.successTime(out.datasetDir("punks-limit200")));
        for (String d : List.of("model", "eval", "encode/test", "render", "generate", "export", "report")) {
            t.put(d, out.successTime(new org.apache.hadoop.fs.Path(out.runDir("punks-z2"), d)));
        }
        return t;
    }

    static void delete(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
