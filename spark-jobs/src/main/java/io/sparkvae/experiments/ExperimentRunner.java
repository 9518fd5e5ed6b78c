package io.sparkvae.experiments;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.JsonLines;
import io.sparkvae.job.Failures;
import io.sparkvae.job.JobOptions;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.pipeline.Pipeline;
import io.sparkvae.pipeline.PipelinePlan;
import io.sparkvae.train.Checkpoints;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * Runs a sweep: each run through the {@link Pipeline} (so every stage checks, skips, resumes and fails exactly as
 * when run by hand), all in one Spark application, then collects the results. Complete runs are skipped without
 * starting Spark, so rerunning an interrupted sweep continues where it stopped. Stops at the first failing run with
 * its exit code (the stage contract's 0 / 2 / 1).
 */
public final class ExperimentRunner {
    private final HadoopFiles files;
    private final String root;
    private final String master;
    private final List<String> sparkConf;
    private final PrintWriter err;
    private final boolean verbose;

    /**
     * @param err     where a failing stage's {@code error: ...} line goes
     * @param verbose whether an unexpected failure's stack trace follows that line ({@code --verbose})
     */
    public ExperimentRunner(HadoopFiles files, String root, String master, List<String> sparkConf, PrintWriter err, boolean verbose) {
        this.files = files;
        this.root = root;
        this.master = master;
        this.sparkConf = List.copyOf(sparkConf);
        this.err = err;
        this.verbose = verbose;
    }

    /** The options the pipeline gets for one run. */
    JobOptions options(ExperimentRun run) {
        return new JobOptions(run.base(), root, master, run.overrides(), sparkConf, false);
    }

    /** Where a run's outputs go and which are complete (no Spark is started). */
    public PipelinePlan plan(ExperimentRun run) {
        return Pipeline.plan(options(run));
    }

    /** Stages of a run whose output is not complete yet. */
    public List<StageDescriptor> todo(PipelinePlan plan) {
        return plan.steps().stream().filter(s -> !files.isComplete(s.output())).map(PipelinePlan.Step::stage).toList();
    }

    /**
     * Runs what is not complete, then collects; returns the exit code (0 when results.json was written).
     *
     * @param command the user's command line, recorded in the results
     */
    public int run(Experiment experiment, String command) {
        List<PipelinePlan> plans = experiment.runs().stream().map(this::plan).toList();
        Path rootPath = plans.get(0).root();
        RunLayout.ExperimentLayout layout = RunLayout.experiment(rootPath, experiment.name());
        // One Spark application for the whole sweep, started by the first run that needs it.
        try (SparkSessions session = new SparkSessions("experiment", master, sparkConf)) {
            for (int i = 0; i < plans.size(); i++) {
                ExperimentRun run = experiment.runs().get(i);
                PipelinePlan plan = plans.get(i);
                List<StageDescriptor> todo = todo(plan);
                List<String> todoNames = todo.stream().map(StageDescriptor::commandName).toList();
                String head = String.format(Locale.ROOT, "experiment %s: [%d/%d] %s", experiment.name(), i + 1, plans.size(), run.name());
                if (todo.isEmpty()) {
                    StageLog.info(head + ": complete, skipping");
                    continue;
                }
                StageLog.info(head + " (" + run.label() + "): " + String.join(", ", todoNames));
                boolean resumed = todo.contains(StageDescriptor.TRAIN)
                        && new Checkpoints(files, plan.step(StageDescriptor.TRAIN).output(), 0).any();
                long t0 = System.nanoTime();
                int rc = Pipeline.run(options(run), session, err, verbose);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (rc != Failures.EXIT_OK) {
                    StageLog.info(String.format(Locale.ROOT, "%s failed with exit code %d after %.1f s; %s", head, rc, seconds,
                            rc == Failures.EXIT_BAD_INPUT ? "fix the input or config and rerun" : "rerun to continue (complete runs are skipped)"));
                    return rc;
                }
                Path timingFile = layout.timings(run.name());
                List<RunTiming> timings = new ArrayList<>(ResultsCollector.timings(files, timingFile));
                timings.add(new RunTiming(run.name(), seconds, todoNames, resumed, master, Instant.now().toString()));
                files.writeBytesAtomically(timingFile, JsonLines.of(timings).getBytes(StandardCharsets.UTF_8));
                StageLog.info(String.format(Locale.ROOT, "%s: done in %.1f s", head, seconds));
            }
        }
        ExperimentResults results = new ResultsCollector(files, layout).collect(experiment, plans, command, master);
        StageLog.info("experiment " + experiment.name() + ": wrote " + layout.results() + " (" + results.runs().size() + " runs)");
        for (ExperimentResults.RunResult r : results.runs()) {
            StageLog.info(String.format(Locale.ROOT, "  %-40s test -ELBO %8.2f  IS log p(x) %8.2f (K=%d)  %,d examples seen",
                    r.name(), r.testNegElbo(), r.testLogLikelihood(), r.isSamples(), r.examplesSeen()));
        }
        return 0;
    }
}
