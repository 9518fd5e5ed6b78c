package io.sparkvae.cli;

import io.sparkvae.job.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job jar's main class: {@code vae <stage> [options]}, the same under {@code scripts/vae} and
 * {@code spark-submit}. The only picocli layer: every command parses its options and calls library code.
 *
 * <p>Exit codes are the stage contract a workflow engine relies on ({@link Failures}): 0 done (or already done),
 * 2 bad input or config (retrying will not help), 1 any other failure (worth a retry).
 */
@Command(
        name = "vae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Auto-Encoding Variational Bayes as a Spark pipeline: prepare -> train -> evaluate -> encode -> render -> generate.",
        subcommands = {StageCommands.Prepare.class, StageCommands.Train.class, StageCommands.Evaluate.class,
                StageCommands.Encode.class, StageCommands.Render.class, StageCommands.Generate.class, PipelineCommand.class,
                ExperimentCommand.class, ReportCommand.class, ExampleCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 done, 2 bad input or config, 1 other failure (worth a retry).",
                "Run 'vae <stage> --help' for a stage's options."})
public final class VaeMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing stage: choose one of " + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new VaeMain());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> Failures.report(e, commandLine.getErr()));
        return cli.execute(args);
    }
}
