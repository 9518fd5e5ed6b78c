package io.sparkvae.cli;

import io.sparkvae.experiments.Experiment;
import io.sparkvae.experiments.ExperimentFile;
import io.sparkvae.experiments.ExperimentRun;
import io.sparkvae.experiments.ExperimentRunner;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.StageLog;
import io.sparkvae.pipeline.PipelinePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vae experiment <name>}: runs a sweep of configs through the pipeline and collects their results. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run a named sweep (" + ExperimentFile.FOLDER + "/<name>.conf, or a .conf path)",
                "through the pipeline, every run in one Spark application, skipping complete",
                "runs (a rerun continues where it stopped); then collect each run's",
                "metrics.jsonl, eval/metrics.json, eval/curve.jsonl and pictures into",
                "<root>/experiments/<name>/results.json. Every run's config is checked first."})
final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Sweep name (latent-sizes, activation-optimizer, depth-vs-width, adagrad-step) or a .conf file.")
    String name;

    @Mixin
    SparkTargetOptions target = new SparkTargetOptions();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key in every run, after the sweep file's (repeatable), e.g. --set train.epochs=1.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--plan", description = "Print each run's name, label and done/todo (tab-separated); run nothing.")
    boolean plan;

    @Spec
    CommandSpec spec;

    @ParentCommand
    VaeMain vae;

    @Override
    public Integer call() {
        target.check();
        HadoopFiles files = HadoopFiles.withDefaults();
        Experiment experiment = ExperimentFile.load(files, ExperimentFile.locate(files, name), sets);
        ExperimentRunner runner = new ExperimentRunner(files, target.root, target.master, target.sparkSettings(), spec.commandLine().getErr(),
                vae.verbose);
        if (plan) {
            for (ExperimentRun run : experiment.runs()) {
                PipelinePlan p = runner.plan(run);
                System.out.println(run.name() + "\t" + run.label() + "\t" + (runner.todo(p).isEmpty() ? "done" : "todo"));
            }
            System.out.flush();
            return 0;
        }
        StageLog.info("experiment " + experiment.name() + ": " + experiment.runs().size() + " runs from " + experiment.file()
                + (experiment.sets().isEmpty() ? "" : "; every run with " + String.join(" ", experiment.sets())));
        return runner.run(experiment, command());
    }

    /** This invocation as the wrapper script's command line (what the report lists to regenerate the results). */
    String command() {
        StringBuilder sb = new StringBuilder("scripts/experiments/run.sh ").append(name);
        if (!target.root.equals("work")) {
            sb.append(" --root ").append(target.root);
        }
        if (target.master != null) {
            sb.append(" --master '").append(target.master).append('\'');
        }
        sets.forEach(s -> sb.append(" --set '").append(s).append('\''));
        target.sparkConf.forEach(s -> sb.append(" --spark-conf '").append(s).append('\''));
        return sb.toString();
    }
}
