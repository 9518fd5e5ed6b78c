package io.sparkvae.stages;

import io.sparkvae.cli.VaeMain;
import io.sparkvae.pipeline.PipelinePlan;
import io.sparkvae.pipeline.PipelineRunner;
import io.sparkvae.pipeline.PipelineSummary;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vae pipeline}: prepare -> train -> evaluate -> render in this JVM and one Spark application.
 *
 * <p>Each stage runs through its own command line ({@link VaeMain#run}) with the pipeline's options, so it checks,
 * skips and fails exactly as when run alone; the stages borrow the pipeline's Spark session
 * ({@link StageContext#shareSpark(String)}) instead of starting and stopping one each.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Run prepare -> train -> evaluate -> render in one Spark application, skipping stages whose output is",
                "complete (_SUCCESS present; --overwrite rebuilds every stage); an interrupted train resumes from its newest",
                "checkpoint. Stops at the first failing stage with its exit code. Ends with the evaluation metrics and the",
                "paths of the rendered pictures."})
public final class PipelineStage implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Option(names = "--plan", description = {"Print each stage's output and whether it is complete (tab-separated); run nothing."})
    boolean plan;

    /**
     * An interrupted train continues from its newest epoch checkpoint ({@code train --resume}); with
     * {@code --overwrite} it starts afresh like every other stage.
     */
    static List<String> extras(String stage, StageOptions o) {
        return stage.equals("train") && !o.overwrite ? List.of("--resume") : List.of();
    }

    @Override
    public Integer call() {
        try (StageContext ctx = StageContext.open(options).shareSpark("pipeline")) {
            PipelinePlan steps = PipelinePlan.of(ctx);
            if (plan) {
                System.out.print(steps.describe(ctx.files()));
                System.out.flush();
                return 0;
            }
            StageLog.info("pipeline: " + steps.run() + " (" + steps.dataset() + ") under " + PipelineSummary.display(ctx.root()));
            int rc = new PipelineRunner(VaeMain::run).run(steps, options, ctx.files(), PipelineStage::extras);
            if (rc != 0) {
                return rc;
            }
            Path evalDir = steps.step("evaluate").output();
            StageLog.info("evaluation (" + PipelineSummary.display(new Path(evalDir, PipelineSummary.METRICS_FILE)) + "):");
            for (String line : PipelineSummary.metrics(ctx.files(), evalDir)) {
                StageLog.info("  " + line);
            }
            List<Path> pictures = PipelineSummary.pictures(ctx.files(), steps.step("render").output());
            StageLog.info("pictures (" + pictures.size() + "):");
            for (Path p : pictures) {
                StageLog.info("  " + PipelineSummary.display(p));
            }
            return 0;
        }
    }
}
