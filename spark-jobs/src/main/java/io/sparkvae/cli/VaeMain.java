package io.sparkvae.cli;

import io.sparkvae.job.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job jar's main class: {@code vae <stage> [options]}, the same under {@code scripts/vae} and
 * {@code spark-submit}. The only picocli layer: every command parses its options and calls library code.
 *
 * <p>Exit codes are the stage contract a workflow engine relies on ({@link Failures}): 0 done (or already done),
 * 2 bad input or config (retrying will not help), 75 the output is being written by another run (retry after a pause),
 * 1 any other failure (worth a retry).
 */
@Command(
        name = "vae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Auto-Encoding Variational Bayes as a Spark pipeline: prepare -> train -> evaluate -> render.",
        subcommands = {StageCommands.Prepare.class, StageCommands.Train.class, StageCommands.Evaluate.class,
                StageCommands.Render.class, PipelineCommand.class, ExperimentCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 done, 2 bad input or config, 75 the output is being written by another run (retry",
                "later), 1 other failure (worth a retry).",
                "Run 'vae <stage> --help' for a stage's options."})
public final class VaeMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing stage: choose one of " + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        int rc = run(args);
        // In YARN cluster mode this runs inside the application master, which reports an application that calls
        // System.exit (even with 0) as failed; returning is how a driver says it succeeded there.
        if (rc != 0 || !insideYarnApplicationMaster()) {
            System.exit(rc);
        }
    }

    /** Set by Spark's YARN application master for the driver it runs (cluster mode only). */
    static boolean insideYarnApplicationMaster() {
        return "cluster".equals(System.getProperty("spark.submit.deployMode")) && System.getProperty("spark.yarn.app.id") != null;
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new VaeMain());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> Failures.report(e, commandLine.getErr()));
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli lets Errors through (Hadoop's FSError on a failing disk is one): they get the same report.
            return Failures.report(e, cli.getErr());
        }
    }
}
