package io.sparkvae.pipeline;

import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.evaluate.EvalReport;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.Failures;
import io.sparkvae.job.JobOptions;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.stages.StageCatalog;
import java.io.PrintWriter;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * {@code vae pipeline}: prepare -> train -> evaluate -> encode -> render -> generate -> export -> page in this JVM and one Spark
 * application, skipping complete stages; an interrupted train resumes from its newest checkpoint (unless
 * {@code --overwrite}). Ends with the evaluation's headline numbers, the pictures' paths and the run's page.
 */
public final class Pipeline {
    private Pipeline() {}

    /** The plan of the run {@code options} describe, without running anything or starting Spark. */
    public static PipelinePlan plan(JobOptions options) {
        try (StageContext ctx = StageContext.open(options, new SparkSessions("plan", options.master(), options.sparkConf()))) {
            return PipelinePlan.of(ctx);
        }
    }

    /**
     * Runs the whole pipeline in {@code sessions}; returns the exit code of the first failing stage, or 0.
     *
     * @param err     where a failing stage's {@code error: ...} line goes
     * @param verbose whether an unexpected failure's stack trace follows that line ({@code --verbose})
     */
    public static int run(JobOptions options, SparkSessions sessions, PrintWriter err, boolean verbose) {
        PipelinePlan plan = plan(options);
        HadoopFiles files = HadoopFiles.withDefaults();
        StageLog.info("pipeline: " + plan.run() + " (" + plan.dataset() + ") under " + PipelineSummary.display(plan.root()));
        int rc = new PipelineRunner(sessions, err, verbose).run(plan, StageCatalog.pipeline(!options.overwrite()), options, files);
        if (rc != Failures.EXIT_OK) {
            return rc;
        }
        Path metrics = plan.layout().eval().metrics();
        StageLog.info("evaluation (" + PipelineSummary.display(metrics) + "):");
        EvalReport.read(files, metrics).headline().forEach((k, v) -> StageLog.info("  " + k + " = " + v));
        List<Path> pictures = new java.util.ArrayList<>(PipelineSummary.pictures(files, plan.step(StageDescriptor.RENDER).output()));
        pictures.addAll(PipelineSummary.pictures(files, plan.step(StageDescriptor.GENERATE).output()));
        StageLog.info("pictures (" + pictures.size() + "):");
        for (Path p : pictures) {
            StageLog.info("  " + PipelineSummary.display(p));
        }
        StageLog.info("ONNX model: " + PipelineSummary.display(plan.step(StageDescriptor.EXPORT).output()));
        StageLog.info("page (open it in a browser): " + PipelineSummary.display(plan.layout().page().index()));
        return Failures.EXIT_OK;
    }
}
