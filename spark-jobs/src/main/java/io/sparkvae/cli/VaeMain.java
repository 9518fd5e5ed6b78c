package io.sparkvae.cli;

import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.job.Failures;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job jar's main class: {@code vae <stage> [options]}, the same under {@code scripts/vae} and
 * {@code spark-submit}. The only picocli layer: every command parses its options and calls library code.
 *
 * <p>Exit codes are the stage contract a workflow engine relies on ({@link Failures}; stated in
 * docs/OPERATIONS.md, "Exit codes"). A usage error (no or an unknown command, an unknown or missing option) prints
 * {@code error: ...} and one line pointing to {@code --help}, and exits 2. A failure nobody foresaw prints one line too,
 * its stack trace only with {@code --verbose}, which every command takes.
 */
@Command(
        name = "vae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Auto-Encoding Variational Bayes as a Spark pipeline: prepare -> train -> evaluate -> encode -> render -> generate -> export -> page.",
        subcommands = {StageCommands.Prepare.class, StageCommands.Train.class, StageCommands.Evaluate.class,
                StageCommands.Encode.class, StageCommands.Render.class, StageCommands.Generate.class, StageCommands.Export.class, StageCommands.Page.class,
                StageCommands.Score.class,
                PipelineCommand.class, ExperimentCommand.class, ReportCommand.class, ExampleCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 done, 2 bad input, 75 output locked by another run, 1 other (docs/OPERATIONS.md#exit-codes).",
                "Run 'vae <stage> --help' for a stage's options and every config key."})
public final class VaeMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Inherited: every command takes it, before or after the command's name. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "After the error: line of an unexpected failure, print its stack trace; log Spark, Hadoop and DL4J"
                    + " at INFO (as VAE_LOG_LEVEL=INFO).")
    boolean verbose;

    /** The commands that run every stage, whose help lists every config key (a stage's lists its own). */
    private static final List<String> ALL_STAGES = List.of("pipeline", "experiment");

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of " + commands(spec.commandLine()));
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
        VaeMain main = new VaeMain();
        CommandLine cli = new CommandLine(main);
        for (String name : ALL_STAGES) {
            cli.getSubcommands().get(name).getCommandSpec().usageMessage().footer(ConfigKeysHelp.footer());
        }
        for (StageDescriptor stage : StageDescriptor.values()) {
            cli.getSubcommands().get(stage.commandName()).getCommandSpec().usageMessage().footer(ConfigKeysHelp.footer(stage));
        }
        cli.setExecutionStrategy(parsed -> {
            try (VerboseLogging.Restore levels = main.verbose ? VerboseLogging.raise() : () -> {}) {
                return new CommandLine.RunLast().execute(parsed);
            }
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> Failures.report(e, commandLine.getErr(), main.verbose));
        cli.setParameterExceptionHandler(VaeMain::usageError);
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli lets Errors through (Hadoop's FSError on a failing disk is one): they get the same report.
            return Failures.report(e, cli.getErr(), main.verbose);
        }
    }

    /** {@code error: <what>} and where the usage is, instead of picocli's full usage text after the message. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine where = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && where.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "': choose one of " + commands(where);
        }
        PrintWriter err = where.getErr();
        err.println("error: " + message);
        err.println("Run '" + where.getCommandSpec().qualifiedName() + " --help' for the usage.");
        err.flush();
        return Failures.EXIT_BAD_INPUT;
    }

    private static String commands(CommandLine top) {
        return String.join(", ", top.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList());
    }
}
