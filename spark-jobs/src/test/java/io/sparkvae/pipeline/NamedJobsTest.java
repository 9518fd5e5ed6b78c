package io.sparkvae.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.Json;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.StageRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees of a pipeline run besides its outputs: every Spark job named after its stage and step (as the
 * Spark UI and the History Server show them, read back here by a {@link SparkListener}), a progress line for each
 * stage's executor work on stderr, and one events line per stage start and end in {@code events.jsonl}.
 */
@Tag("spark")
class NamedJobsTest {
    @TempDir
    Path tmp;

    /** A job as the Spark UI lists it. */
    private record Job(String group, String description) {}

    @Test
    void everyJobIsNamedAfterItsStageAndStepAndEveryStageReportsProgressAndEvents() throws Exception {
        Path conf = StageRuns.writeConf(tmp); // MNIST, 200 per split, run "tiny"
        Path root = tmp.resolve("root");
        SparkSession spark = LocalSpark.start("named-jobs");
        List<Job> jobs = new CopyOnWriteArrayList<>();
        SparkListener ui = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.add(new Job(start.properties().getProperty("spark.jobGroup.id"),
                        start.properties().getProperty("spark.job.description")));
            }
        };
        spark.sparkContext().addSparkListener(ui);
        StageRuns.Outcome run;
        try {
            // Minibatches of 50: 4 of them, so 2 workers averaging after every one make 2 rounds per epoch.
            run = StageRuns.vae("pipeline", conf, root, "--set", "train.batch-size=50");
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(ui);
            spark.stop();
        }
        assertEquals(0, run.code(), run.out() + run.err());

        Set<String> descriptions = new LinkedHashSet<>();
        List<String> groups = List.of("prepare mnist-limit200", "train tiny", "evaluate tiny", "encode tiny", "render tiny",
                "generate tiny", "page tiny"); // export starts no Spark job
        for (Job job : jobs) {
            assertTrue(groups.contains(job.group()), "a job outside the stages' groups: " + job);
            assertTrue(job.description().startsWith(job.group() + ": "), "a job without its step: " + job);
            descriptions.add(job.description());
        }
        System.out.println("named jobs: " + jobs.size() + " jobs, " + descriptions);
        for (String expected : List.of(
                "prepare mnist-limit200: write the idx splits",
                "prepare mnist-limit200: check val split, draw its preview",
                "train tiny: read inputs", "train tiny: export minibatches",
                "train tiny: epoch 1/2, averaging round 1/2", "train tiny: epoch 2/2, averaging round 2/2",
                "train tiny: epoch 2/2: validation -ELBO",
                "evaluate tiny: importance sampling K=20 on 200 test examples", "evaluate tiny: write per-example scores",
                "encode tiny: score the test split, write latents and -ELBO", "encode tiny: summarise the written table",
                "render tiny: posterior means of the test split, pick examples",
                "generate tiny: draw 100 samples from the prior, write them")) {
            assertTrue(descriptions.contains(expected), "no job '" + expected + "' among " + descriptions);
        }

        // Each stage's executor work, counted as it happens: stderr is not a terminal here, so one line per tenth.
        for (String done : List.of("prepare mnist-limit200: examples decoded 600", "evaluate tiny: examples scored 200 of 200 (100%)",
                "encode tiny: examples encoded 200 of 200 (100%)", "render tiny: examples encoded 200 of 200 (100%)")) {
            assertTrue(run.err().contains(done), "no progress line '" + done + "' in:\n" + run.err());
        }
        assertTrue(!run.err().contains("\r"), "no terminal redraws in a log");

        // events.jsonl: a start and an end per stage; a second pipeline over the complete root skips them all.
        Path events = root.resolve("runs/tiny/events.jsonl");
        List<JsonNode> first = read(events);
        assertEquals(List.of("started prepare", "finished prepare", "started train", "finished train", "started evaluate",
                "finished evaluate", "started encode", "finished encode", "started render", "finished render", "started generate",
                "finished generate", "started export", "finished export", "started page", "finished page"), names(first));
        JsonNode evaluate = first.get(5);
        assertEquals("ok", evaluate.path("outcome").asText());
        assertEquals(0, evaluate.path("exit_code").asInt(-1));
        assertEquals(200, evaluate.path("numbers").path("examples").asInt());
        assertTrue(evaluate.path("numbers").path("test_neg_elbo").asDouble() > 0, evaluate.toString());
        assertTrue(evaluate.path("seconds").asDouble() >= 0 && evaluate.path("end").asText().compareTo(evaluate.path("start").asText()) >= 0);
        assertEquals(2, first.get(3).path("numbers").path("epochs").asInt(), first.get(3).toString());
        assertTrue(evaluate.path("output").asText().endsWith("runs/tiny/eval"), evaluate.toString());

        StageRuns.Outcome again = StageRuns.vae("pipeline", conf, root);
        assertEquals(0, again.code(), again.out() + again.err());
        List<JsonNode> both = read(events);
        assertEquals(32, both.size());
        for (JsonNode e : both.subList(16, 32)) {
            if (e.path("event").asText().equals("finished")) {
                assertEquals("skipped", e.path("outcome").asText(), e.toString());
            }
        }
    }

    private static List<JsonNode> read(Path events) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText() + " " + e.path("stage").asText()).toList();
    }
}
