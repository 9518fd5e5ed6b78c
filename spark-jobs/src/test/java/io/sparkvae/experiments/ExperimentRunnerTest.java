package io.sparkvae.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.evaluate.CheckpointCurve;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.StageRuns.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vae experiment} and {@code vae report} in this JVM on real local Spark: a two-run sweep (ReLU+Adam, tanh+Adagrad)
 * over the shared 200-per-split MNIST dataset, rerun over complete runs, reported; a bad sweep runs nothing.
 */
@Tag("spark")
class ExperimentRunnerTest {
    @TempDir
    Path tmp;

    private Path sweep(String name, String secondRunSet) throws Exception {
        String base = StageRuns.shared().conf().toString().replace("\\", "/");
        String body = "description = \"two runs\"\n"
                + "set { train { epochs = 2, keep-checkpoints = 0 }, evaluate { curve = true, is-samples = 5 } }\n"
                + "runs = [\n"
                + "  { name = relu-adam, base = \"" + base + "\", group = \"tiny\", label = \"ReLU + Adam\", set { model.activation = relu } }\n"
                + "  { name = tanh-adagrad, base = \"" + base + "\", group = \"tiny\", label = \"tanh + Adagrad\", set { " + secondRunSet + " } }\n"
                + "]\n";
        Path file = tmp.resolve(name + ".conf");
        Files.writeString(file, body);
        return file;
    }

    /** {@code vae experiment <file>} over the shared prepared root. */
    private static Outcome experiment(Path file) {
        return StageRuns.command("experiment", file.toString(), "--root", StageRuns.shared().root().toString(), "--master", "local[2]");
    }

    @Test
    void runsEveryRunCollectsSkipsCompleteRunsAndReports() throws Exception {
        Path root = StageRuns.shared().root();
        Path file = sweep("tiny-sweep", "model.activation = tanh, train { optimizer = adagrad, learning-rate = 0.01 }");
        Outcome first = experiment(file);
        assertEquals(0, first.code(), first.err());

        Path dir = root.resolve("experiments/tiny-sweep");
        ExperimentResults results = ExperimentResults.parse(Files.readString(dir.resolve("results.json")), "results.json");
        assertEquals(List.of("tiny-sweep-relu-adam", "tiny-sweep-tanh-adagrad"),
                results.runs().stream().map(ExperimentResults.RunResult::name).toList());
        for (ExperimentResults.RunResult r : results.runs()) {
            assertEquals(200, r.trainExamples());
            assertEquals(400, r.examplesSeen());
            assertEquals(List.of(200L, 400L), r.curve().stream().map(CheckpointCurve.Point::examplesSeen).toList());
            assertEquals(r.testNegElbo(), r.curve().get(1).testNegElbo(), 0.0, "the last curve point is the final model");
            assertEquals(2, r.training().size());
            assertEquals(5, r.isSamples());
            assertEquals(1, r.timings().size(), r.name());
            assertTrue(r.wallTimedWhole(), "trained, evaluated and rendered in one call: " + r.timings());
            assertTrue(r.eval().provenance() != null && r.config().containsKey("model"), r.name());
            for (String picture : List.of("reconstructions", "manifold")) {
                assertTrue(Files.isRegularFile(dir.resolve(r.pictures().get(picture))), r.name() + " " + picture);
            }
        }
        assertEquals("tanh", results.runs().get(1).setting("model.activation"));
        assertEquals("adagrad", results.runs().get(1).setting("train.optimizer"));
        String timing = Files.readString(dir.resolve("timings/tiny-sweep-relu-adam.jsonl"));

        // Rerun: both runs complete, nothing retrained (the timing records stay), results collected again.
        Outcome again = experiment(file);
        assertEquals(0, again.code(), again.err());
        assertEquals(2, again.out().lines().filter(l -> l.endsWith(": complete, skipping")).count(), again.out());
        assertFalse(again.out().contains("pipeline:"), "no pipeline ran:\n" + again.out());
        assertEquals(timing, Files.readString(dir.resolve("timings/tiny-sweep-relu-adam.jsonl")));

        // A run whose evaluation is gone: only that stage reruns, and its time is added as a second call.
        StageRuns.deleteTree(root.resolve("runs/tiny-sweep-relu-adam/eval"));
        Outcome resumed = experiment(file);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("tiny-sweep-relu-adam (ReLU + Adam): evaluate\n"), resumed.out());
        ExperimentResults.RunResult rerun = ExperimentResults.parse(Files.readString(dir.resolve("results.json")), "results.json")
                .runs().get(0);
        assertEquals(List.of(List.of("train", "evaluate", "encode", "render", "generate", "export", "page"), List.of("evaluate")),
                rerun.timings().stream().map(RunTiming::stagesRun).toList());
        assertTrue(rerun.wallTimedWhole());

        Path docs = tmp.resolve("docs");
        Outcome report = StageRuns.command("report", "tiny-sweep", "--root", root.toString(), "--out", docs.toString());
        assertEquals(0, report.code(), report.err());
        String md = Files.readString(docs.resolve("REPRODUCTION.md"));
        assertTrue(md.contains("| `tiny-sweep-relu-adam` |") && md.contains("| `tiny-sweep-tanh-adagrad` |"), md);
        assertTrue(md.contains(" in 2 calls |"), "the rerun's time is counted:\n" + md);
        assertTrue(md.contains("| tiny-sweep | mnist | `tiny-sweep-relu-adam` | `tiny-sweep-tanh-adagrad` |"), "claim 1 compares the pair:\n" + md);
        assertTrue(Files.isRegularFile(docs.resolve("img/reproduction/tiny-sweep-curves-1.png")));
        assertTrue(Files.readString(docs.resolve("img/reproduction/tiny-sweep-curves-1.json")).contains("\"gitCommit\""),
                "the chart's sidecar records its provenance");
        assertTrue(Files.isRegularFile(docs.resolve("img/reproduction/tiny-sweep-relu-adam-manifold.json")), "sidecars travel along");
        try (Stream<Path> all = Files.walk(docs)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().endsWith(".crc")).toList(), "no checksum files in docs");
        }
    }

    @Test
    void aBadRunInTheSweepIsExitTwoBeforeAnyRunStarts() throws Exception {
        Path root = StageRuns.shared().root();
        Path file = sweep("bad-sweep", "model.activation = sigmoid");
        Outcome o = experiment(file);
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().contains("bad-sweep.conf: runs[1] (tanh-adagrad)") && o.err().contains("model.activation"), o.err());
        assertFalse(Files.exists(root.resolve("runs/bad-sweep-relu-adam")), "the valid first run must not have started");
        assertFalse(Files.exists(root.resolve("experiments/bad-sweep")));
    }

    @Test
    void reportWithoutResultsIsExitTwoNamingTheExperiment() {
        Outcome o = StageRuns.command("report", "never-ran", "--root", tmp.toString(), "--out", tmp.resolve("docs").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("never-ran") && o.err().contains("run.sh never-ran"), o.err());
        assertFalse(Files.exists(tmp.resolve("docs")));
    }
}
