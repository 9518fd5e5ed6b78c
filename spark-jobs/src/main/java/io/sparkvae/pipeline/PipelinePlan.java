package io.sparkvae.pipeline;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.stages.StageContext;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The four stages in order, each with the output directory whose {@code _SUCCESS} marks it complete (the stage
 * contract's layout: {@code <root>/datasets/<dataset>[-limitN]}, {@code <root>/runs/<run>/{model,eval,render}}).
 */
public record PipelinePlan(String run, String dataset, Path raw, Path root, List<Step> steps) {
    public static final List<String> STAGES = List.of("prepare", "train", "evaluate", "render");

    /** One stage and its output directory. */
    public record Step(String stage, Path output) {
        public Path marker() {
            return new Path(output, HadoopFiles.SUCCESS);
        }
    }

    public static PipelinePlan of(StageContext ctx) {
        Path run = ctx.runDir();
        return new PipelinePlan(ctx.config().runName(), ctx.config().data().dataset(), ctx.files().path(ctx.config().data().raw()), ctx.root(),
                List.of(new Step("prepare", ctx.datasetDir()), new Step("train", new Path(run, "model")),
                        new Step("evaluate", new Path(run, "eval")), new Step("render", new Path(run, "render"))));
    }

    public Step step(String stage) {
        return steps.stream().filter(s -> s.stage().equals(stage)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
    }

    /**
     * Tab-separated lines a script can read ({@code vae pipeline --plan}): {@code run}, {@code dataset},
     * {@code raw} and {@code root} with their values, then one {@code <stage> <output URI> done|todo} line per stage.
     */
    public String describe(HadoopFiles files) {
        StringBuilder sb = new StringBuilder();
        sb.append("run\t").append(run).append('\n');
        sb.append("dataset\t").append(dataset).append('\n');
        sb.append("raw\t").append(raw).append('\n');
        sb.append("root\t").append(root).append('\n');
        for (Step s : steps) {
            sb.append(s.stage()).append('\t').append(s.output()).append('\t')
                    .append(files.isComplete(s.output()) ? "done" : "todo").append('\n');
        }
        return sb.toString();
    }
}
