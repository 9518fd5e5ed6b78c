package io.sparkvae.cli;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.job.SparkSessions;
import io.sparkvae.pipeline.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vae pipeline}: every stage in order, in this JVM and one Spark application. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Run prepare -> train -> evaluate -> encode -> render -> generate in one Spark application, skipping",
                "stages whose output is complete (_SUCCESS present; --overwrite rebuilds every stage); an interrupted train",
                "resumes from its newest checkpoint. Stops at the first failing stage with its exit code. Ends with the",
                "evaluation metrics and the paths of the rendered and generated pictures."})
final class PipelineCommand implements Callable<Integer> {
    @Mixin
    StageOptions options;

    @Option(names = "--plan", description = {"Print each stage's output and whether it is complete (tab-separated); run nothing."})
    boolean plan;

    @Spec
    CommandSpec spec;

    @ParentCommand
    VaeMain vae;

    @Override
    public Integer call() {
        if (plan) {
            System.out.print(Pipeline.plan(options.toJob()).describe(HadoopFiles.withDefaults()));
            System.out.flush();
            return 0;
        }
        try (SparkSessions sessions = SparkSessions.forCommand("pipeline", options.toJob())) {
            return Pipeline.run(options.toJob(), sessions, spec.commandLine().getErr(), vae.verbose);
        }
    }
}
