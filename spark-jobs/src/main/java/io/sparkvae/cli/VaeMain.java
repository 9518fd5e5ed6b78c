package io.sparkvae.cli;

import io.sparkvae.experiments.ExperimentCommand;
import io.sparkvae.io.BadInputException;
import io.sparkvae.report.ReportCommand;
import io.sparkvae.stages.EvaluateStage;
import io.sparkvae.stages.PipelineStage;
import io.sparkvae.stages.PrepareStage;
import io.sparkvae.stages.RenderStage;
import io.sparkvae.stages.TrainStage;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job jar's main class: {@code vae <stage> [options]}, the same under {@code scripts/vae} and
 * {@code spark-submit}.
 *
 * <p>Exit codes are the stage contract a workflow engine relies on: 0 done (or already done), 2 bad input or
 * config (retrying will not help), 1 any other failure (worth a retry).
 */
@Command(
        name = "vae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Auto-Encoding Variational Bayes as a Spark pipeline: prepare -> train -> evaluate -> render.",
        subcommands = {PrepareStage.class, TrainStage.class, EvaluateStage.class, RenderStage.class, PipelineStage.class,
                ExperimentCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 done, 2 bad input or config, 1 other failure (worth a retry).",
                "Run 'vae <stage> --help' for a stage's options."})
public final class VaeMain implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

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
        cli.setExecutionExceptionHandler(VaeMain::handle);
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        BadInputException bad = findBadInput(e);
        if (bad != null) {
            err.println("error: " + bad.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        err.println("error: " + e);
        e.printStackTrace(err);
        err.flush();
        return EXIT_FAILURE;
    }

    /** Spark wraps executor-side exceptions; the user's problem is the innermost bad-input cause. */
    static BadInputException findBadInput(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
