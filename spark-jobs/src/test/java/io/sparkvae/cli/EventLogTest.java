package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.Json;
import io.sparkvae.testing.StageRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --event-log <uri>}: the stage's Spark application keeps its event log there (the folder created first),
 * and the log, read back as the History Server reads it, holds the application and its jobs by name.
 */
@Tag("spark")
class EventLogTest {
    @TempDir
    Path tmp;

    @Test
    void aStageKeepsSparkEventLogWithItsNamedJobsWhereAsked() throws IOException {
        Path conf = StageRuns.writeConf(tmp);
        Path dir = tmp.resolve("history/not/yet/there");
        StageRuns.Outcome run = StageRuns.vae("prepare", conf, tmp.resolve("root"), "--event-log", dir.toUri().toString());
        assertEquals(0, run.code(), run.out() + run.err());

        List<Path> logs;
        try (var s = Files.list(dir)) {
            logs = s.toList();
        }
        assertEquals(1, logs.size(), "one application's log: " + logs);
        assertTrue(logs.get(0).getFileName().toString().startsWith("local-"), "finished, not .inprogress: " + logs);

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(logs.get(0))) {
            events.add(Json.mapper().readTree(line));
        }
        JsonNode start = events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerApplicationStart"))
                .findFirst().orElseThrow();
        assertEquals("vae-prepare-tiny", start.path("App Name").asText());
        List<String> jobs = events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerJobStart"))
                .map(e -> e.path("Properties").path("spark.jobGroup.id").asText() + " | "
                        + e.path("Properties").path("spark.job.description").asText())
                .toList();
        assertTrue(jobs.contains("prepare mnist-limit200 | prepare mnist-limit200: write the idx splits"), jobs.toString());
        assertTrue(events.stream().anyMatch(e -> e.path("Event").asText().equals("SparkListenerApplicationEnd")),
                "the log ends with the application");
    }
}
