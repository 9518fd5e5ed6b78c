package io.sparkvae.pipeline;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.StageContext;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.layout.StageDescriptor;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The stages of one run in order, each with the output folder whose {@code _SUCCESS} marks it complete (from the
 * run's {@link RunLayout}).
 *
 * @param fetch the {@code scripts/fetch-data.sh} data set the config's raw files come from, or {@code -} when none
 */
public record PipelinePlan(RunLayout layout, String dataset, Path raw, String fetch, List<Step> steps) {

    /** One stage and its output directory. */
    public record Step(StageDescriptor stage, Path output) {
        public Path marker() {
            return new Path(output, HadoopFiles.SUCCESS);
        }
    }

    public static PipelinePlan of(StageContext ctx) {
        RunLayout layout = ctx.layout();
        var data = ctx.config().data();
        return new PipelinePlan(layout, data.dataset(), ctx.files().path(data.raw()), data.fetchName(),
                StageDescriptor.pipeline().stream().map(s -> new Step(s, layout.output(s))).toList());
    }

    public String run() {
        return layout.run();
    }

    public Path root() {
        return layout.root();
    }

    public Step step(StageDescriptor stage) {
        return steps.stream().filter(s -> s.stage() == stage).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
    }

    /**
     * Why {@code stage}'s complete output is stale (made from inputs that have changed since), or null when it is
     * current, incomplete, or cannot be told ({@link InputVersions}).
     */
    public String staleness(HadoopFiles files, StageDescriptor stage) {
        return InputVersions.staleness(files, layout, stage);
    }

    /**
     * Tab-separated lines a script can read ({@code vae pipeline --plan}): {@code run}, {@code dataset}, {@code raw},
     * {@code root}, {@code fetch}, {@code logs} (where workflow engines put stage logs) and {@code metrics} (the
     * evaluation's numbers) with their values, then one {@code <stage> <output URI> done|stale|todo} line per stage:
     * {@code done} complete, {@code stale} complete but made from inputs that changed since (a fourth field says
     * which), {@code todo} not complete.
     */
    public String describe(HadoopFiles files) {
        StringBuilder sb = new StringBuilder();
        sb.append("run\t").append(run()).append('\n');
        sb.append("dataset\t").append(dataset).append('\n');
        sb.append("raw\t").append(raw).append('\n');
        sb.append("root\t").append(root()).append('\n');
        sb.append("fetch\t").append(fetch).append('\n');
        sb.append("logs\t").append(layout.logs()).append('\n');
        sb.append("metrics\t").append(layout.eval().metrics()).append('\n');
        for (Step s : steps) {
            sb.append(s.stage().commandName()).append('\t').append(s.output()).append('\t');
            if (!files.isComplete(s.output())) {
                sb.append("todo");
            } else {
                String stale = staleness(files, s.stage());
                sb.append(stale == null ? "done" : "stale\t" + stale);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
