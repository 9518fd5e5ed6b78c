package io.sparkvae.pipeline;

import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.job.Failures;
import io.sparkvae.job.JobOptions;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.io.HadoopFiles;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the stages one after another in this JVM and one Spark application, each exactly as when run alone (its own
 * context, checks, skip rule and lock), stopping at the first failure and returning its exit code, so the pipeline
 * keeps the stage contract's exit codes ({@link Failures}). Unlike a stage run alone, the pipeline rebuilds a complete
 * output that is stale (made from inputs that changed since): it brings the whole run up to date.
 */
public final class PipelineRunner {
    private final SparkSessions sessions;
    private final PrintWriter err;
    private final boolean verbose;

    /**
     * @param sessions the application every stage runs in
     * @param err      where a failing stage's {@code error: ...} line goes
     * @param verbose  whether an unexpected failure's stack trace follows that line ({@code --verbose})
     */
    public PipelineRunner(SparkSessions sessions, PrintWriter err, boolean verbose) {
        this.sessions = sessions;
        this.err = err;
        this.verbose = verbose;
    }

    /** Runs every stage of the plan; returns 0, or the exit code of the first stage that failed. */
    public int run(PipelinePlan plan, Map<StageDescriptor, Stage> stages, JobOptions options, HadoopFiles files) {
        long start = System.nanoTime();
        int i = 0;
        for (PipelinePlan.Step step : plan.steps()) {
            i++;
            boolean complete = files.isComplete(step.output());
            String stale = complete && !options.overwrite() ? plan.staleness(files, step.stage()) : null;
            StageLog.info(String.format(Locale.ROOT, "pipeline: [%d/%d] %s%s", i, plan.steps().size(), step.stage(),
                    stale != null ? " (output stale: " + stale + "; rebuilding it)"
                            : complete && !options.overwrite() ? " (output complete)" : ""));
            long t0 = System.nanoTime();
            int rc = runOne(step.stage(), stages.get(step.stage()), stale != null ? options.withOverwrite(true) : options);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (rc != Failures.EXIT_OK) {
                StageLog.info(String.format(Locale.ROOT, "pipeline: %s failed with exit code %d after %.1f s; %s", step.stage(), rc,
                        seconds, switch (rc) {
                            case Failures.EXIT_BAD_INPUT -> "fix the input or config and rerun";
                            case Failures.EXIT_OUTPUT_BUSY -> "another run is writing its output: rerun once that run has"
                                    + " finished (complete stages are skipped)";
                            default -> "rerun to resume (complete stages are skipped)";
                        }));
                return rc;
            }
            if (!files.isComplete(step.output())) {
                // A stage that says "done" must have committed its output; anything else is a bug worth a retry.
                StageLog.info("pipeline: " + step.stage() + " exited 0 but " + step.marker() + " is missing");
                return Failures.EXIT_FAILURE;
            }
            StageLog.info(String.format(Locale.ROOT, "pipeline: %s ok (%.1f s)", step.stage(), seconds));
        }
        StageLog.info(String.format(Locale.ROOT, "pipeline: all %d stages complete in %.1f s", plan.steps().size(),
                (System.nanoTime() - start) / 1e9));
        return Failures.EXIT_OK;
    }

    private int runOne(StageDescriptor name, Stage stage, JobOptions options) {
        try (StageContext ctx = StageContext.open(options, sessions)) {
            ctx.run(name, stage);
            return Failures.EXIT_OK;
        } catch (RuntimeException | Error e) {
            return Failures.report(e, err, verbose);
        }
    }
}
