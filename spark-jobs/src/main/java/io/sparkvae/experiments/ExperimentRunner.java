package io.sparkvae.experiments;

import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.JsonLines;
import io.sparkvae.pipeline.PipelinePlan;
import io.sparkvae.pipeline.PipelineRunner;
import io.sparkvae.stages.StageContext;
import io.sparkvae.stages.StageLog;
import io.sparkvae.stages.StageOptions;
import io.sparkvae.train.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.apache.hadoop.fs.Path;

/**
 * Runs a sweep: each run through {@code vae pipeline} (so every stage checks, skips, resumes and fails exactly as
 * when run by hand), all in one Spark application, then collects the results. Complete runs are skipped without
 * starting Spark, so rerunning an interrupted sweep continues where it stopped. Stops at the first failing run with
 * its exit code (the stage contract's 0 / 2 / 1).
 */
public final class ExperimentRunner {
    private final HadoopFiles files;
    private final String root;
    private final String master;
    private final List<String> sparkConf;
    private final ToIntFunction<String[]> launcher;

    /**
     * @param launcher runs a {@code vae} command line and returns its exit code ({@code VaeMain::run})
     */
    public ExperimentRunner(HadoopFiles files, String root, String master, List<String> sparkConf, ToIntFunction<String[]> launcher) {
        this.files = files;
        this.root = root;
        this.master = master;
        this.sparkConf = List.copyOf(sparkConf);
        this.launcher = launcher;
    }

    /** The options {@code vae pipeline} gets for one run. */
    StageOptions options(ExperimentRun run) {
        StageOptions o = new StageOptions();
        o.conf = run.base();
        o.root = root;
        o.master = master;
        o.overrides = new ArrayList<>(run.overrides());
        o.sparkConf = new ArrayList<>(sparkConf);
        return o;
    }

    /** Where a run's outputs go and which are complete (no Spark is started). */
    public PipelinePlan plan(ExperimentRun run) {
        try (StageContext ctx = StageContext.open(options(run))) {
            return PipelinePlan.of(ctx);
        }
    }

    /** Stages of a run whose output is not complete yet. */
    public List<String> todo(PipelinePlan plan) {
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
        StageContext session = null;
        try {
            for (int i = 0; i < plans.size(); i++) {
                ExperimentRun run = experiment.runs().get(i);
                PipelinePlan plan = plans.get(i);
                List<String> todo = todo(plan);
                String head = String.format(Locale.ROOT, "experiment %s: [%d/%d] %s", experiment.name(), i + 1, plans.size(), run.name());
                if (todo.isEmpty()) {
                    StageLog.info(head + ": complete, skipping");
                    continue;
                }
                StageLog.info(head + " (" + run.label() + "): " + String.join(", ", todo));
                if (session == null) {
                    // One Spark application for the whole sweep: every pipeline below borrows this session.
                    session = StageContext.open(options(run)).shareSpark("experiment");
                }
                boolean resumed = todo.contains("train")
                        && new Checkpoints(files, plan.step("train").output(), 0).any();
                long t0 = System.nanoTime();
                int rc = launcher.applyAsInt(pipelineArgs(options(run)));
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (rc != 0) {
                    StageLog.info(String.format(Locale.ROOT, "%s failed with exit code %d after %.1f s; %s", head, rc, seconds,
                            rc == 2 ? "fix the input or config and rerun" : "rerun to continue (complete runs are skipped)"));
                    return rc;
                }
                Path timingFile = ResultsCollector.timingFile(rootPath, experiment.name(), run.name());
                List<RunTiming> timings = new ArrayList<>(ResultsCollector.timings(files, timingFile));
                timings.add(new RunTiming(run.name(), seconds, todo, resumed, master, Instant.now().toString()));
                files.writeBytesAtomically(timingFile, JsonLines.of(timings).getBytes(StandardCharsets.UTF_8));
                StageLog.info(String.format(Locale.ROOT, "%s: done in %.1f s", head, seconds));
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        ExperimentResults results = new ResultsCollector(files, rootPath).collect(experiment, plans, command, master);
        StageLog.info("experiment " + experiment.name() + ": wrote " + new Path(ResultsCollector.dir(rootPath, experiment.name()),
                ExperimentResults.FILE) + " (" + results.runs().size() + " runs)");
        for (ExperimentResults.RunResult r : results.runs()) {
            StageLog.info(String.format(Locale.ROOT, "  %-40s test -ELBO %8.2f  IS log p(x) %8.2f (K=%d)  %,d examples seen",
                    r.name(), r.testNegElbo(), r.testLogLikelihood(), r.isSamples(), r.examplesSeen()));
        }
        return 0;
    }

    /** {@code pipeline --conf <base> --root ... --set ...}: the run's own command line. */
    static String[] pipelineArgs(StageOptions o) {
        return PipelineRunner.stageArgs("pipeline", o, List.of()).toArray(String[]::new);
    }
}
