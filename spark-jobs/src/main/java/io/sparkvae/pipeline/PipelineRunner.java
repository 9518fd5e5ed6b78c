package io.sparkvae.pipeline;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.stages.StageLog;
import io.sparkvae.stages.StageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Runs the stages one after another through a stage launcher (the {@code vae} command line), stopping at the
 * first failure and returning its exit code, so the pipeline keeps the stage contract: 0 all done (or skipped),
 * 2 bad input or config, 1 other failure.
 */
public final class PipelineRunner {
    private final ToIntFunction<String[]> launcher;

    /** @param launcher runs {@code <stage> [options]} and returns its exit code, e.g. {@code VaeMain::run} */
    public PipelineRunner(ToIntFunction<String[]> launcher) {
        this.launcher = launcher;
    }

    /** The command line each stage gets: the pipeline's own options, passed on unchanged. */
    public static List<String> stageArgs(String stage, StageOptions o, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(stage, "--conf", o.conf, "--root", o.root));
        if (o.master != null) {
            args.addAll(List.of("--master", o.master));
        }
        for (String kv : o.overrides) {
            args.addAll(List.of("--set", kv));
        }
        for (String kv : o.sparkConf) {
            args.addAll(List.of("--spark-conf", kv));
        }
        if (o.overwrite) {
            args.add("--overwrite");
        }
        args.addAll(extra);
        return args;
    }

    /** Runs every stage of the plan; returns 0, or the exit code of the first stage that failed. */
    public int run(PipelinePlan plan, StageOptions options, HadoopFiles files, StageExtras extras) {
        long start = System.nanoTime();
        int i = 0;
        for (PipelinePlan.Step step : plan.steps()) {
            i++;
            boolean complete = files.isComplete(step.output());
            StageLog.info(String.format(Locale.ROOT, "pipeline: [%d/%d] %s%s", i, plan.steps().size(), step.stage(),
                    complete && !options.overwrite ? " (output complete)" : ""));
            long t0 = System.nanoTime();
            int rc = launcher.applyAsInt(stageArgs(step.stage(), options, extras.of(step.stage(), options)).toArray(String[]::new));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                StageLog.info(String.format(Locale.ROOT, "pipeline: %s failed with exit code %d after %.1f s; %s", step.stage(), rc,
                        seconds, rc == 2 ? "fix the input or config and rerun" : "rerun to resume (complete stages are skipped)"));
                return rc;
            }
            if (!files.isComplete(step.output())) {
                // A stage that says "done" must have committed its output; anything else is a bug worth a retry.
                StageLog.info("pipeline: " + step.stage() + " exited 0 but " + step.marker() + " is missing");
                return 1;
            }
            StageLog.info(String.format(Locale.ROOT, "pipeline: %s ok (%.1f s)", step.stage(), seconds));
        }
        StageLog.info(String.format(Locale.ROOT, "pipeline: all %d stages complete in %.1f s", plan.steps().size(),
                (System.nanoTime() - start) / 1e9));
        return 0;
    }

    /** Stage-specific extra options (e.g. train's {@code --resume}). */
    @FunctionalInterface
    public interface StageExtras {
        List<String> of(String stage, StageOptions options);

        static StageExtras none() {
            return (stage, options) -> List.of();
        }
    }
}
