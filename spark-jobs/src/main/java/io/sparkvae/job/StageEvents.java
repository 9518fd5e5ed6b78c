package io.sparkvae.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;

/**
 * A run's event log for machines, {@code <root>/runs/<run>/events.jsonl}: each stage appends one line when it starts
 * and one when it ends, so a scheduler or a dashboard can follow a run without parsing the console:
 *
 * <pre>
 * {"event":"started","stage":"evaluate","run":"mnist-z20","start":"2026-12-01T10:00:00Z","host":"vm"}
 * {"event":"finished","stage":"evaluate","run":"mnist-z20","start":"...","end":"...","seconds":77.1,"outcome":"ok",
 *  "exit_code":0,"output":"hdfs://nn/vae/runs/mnist-z20/eval","spark_application":"application_..._0001",
 *  "numbers":{"examples":10000,"test_neg_elbo":103.09,...}}
 * </pre>
 *
 * <p>{@code outcome} is {@code ok}, {@code skipped} (the output was complete) or {@code failed} (with the stage
 * contract's {@code exit_code} and the {@code error} line). Lines are appended, never rewritten
 * ({@link HadoopFiles#appendLine}); a reader skips a line that does not parse (the fragment a killed writer may leave).
 * The log is telemetry: failing to write it is said on the console and never fails the stage.
 */
public final class StageEvents {
    /** How long an append may wait for another writer (HDFS appends one writer at a time). */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final HadoopFiles files;
    private final Path log;
    private final String stage;
    private final String run;
    private final Instant start;

    /** One line of the log. Absent fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(String event, String stage, String run, String start, String end, Double seconds, String outcome,
                        Integer exit_code, String error, String output, String spark_application, String host,
                        Map<String, Object> numbers) {}

    private StageEvents(HadoopFiles files, Path log, String stage, String run, Instant start) {
        this.files = files;
        this.log = log;
        this.stage = stage;
        this.run = run;
        this.start = start;
    }

    /** Appends {@code stage}'s start to {@code log}. */
    public static StageEvents started(HadoopFiles files, Path log, String stage, String run) {
        StageEvents events = new StageEvents(files, log, stage, run, Instant.now());
        events.append(new Event("started", stage, run, events.start.toString(), null, null, null, null, null, null, null,
                Host.NAME, null));
        return events;
    }

    /**
     * Appends the stage's end.
     *
     * @param outcome {@code ok}, {@code skipped} or {@code failed}
     * @param error   the failure's one-line message, or null
     * @param numbers the stage's key numbers (in the order given)
     */
    public void finished(String outcome, int exitCode, String error, Path output, String sparkApplication,
                         Map<String, Object> numbers) {
        Instant end = Instant.now();
        double seconds = Math.round(Duration.between(start, end).toMillis() / 100.0) / 10.0;
        append(new Event("finished", stage, run, start.toString(), end.toString(), seconds, outcome, exitCode, error,
                output == null ? null : output.toString(), sparkApplication, Host.NAME,
                numbers.isEmpty() ? null : new LinkedHashMap<>(numbers)));
    }

    private void append(Event event) {
        boolean written;
        try {
            written = files.appendLine(log, Json.writeLine(event), PATIENCE);
        } catch (RuntimeException | FSError e) {
            // Telemetry never replaces the stage's outcome: Hadoop reports a full local disk as FSError, an Error.
            written = false;
        }
        if (!written) {
            StageLog.info(stage + ": warning: could not append to " + log + " (the stage itself is unaffected)");
        }
    }

    /** This machine's name, as the log records where a stage ran. */
    private static final class Host {
        static final String NAME = name();

        private static String name() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
            }
        }
    }
}
