package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.ConsoleRun;
import io.sparkvae.testing.ConsoleRun.Outcome;
import io.sparkvae.testing.FailingFileSystem;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The command line's contract: exit 0 for help, 2 for usage errors (bad inputs: reliability.BadInputCatalogueTest). */
class VaeMainTest {
    private static Outcome run(String... args) {
        return ConsoleRun.vae(args);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Outcome top = run("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().startsWith("Usage: vae"), top.out());
        Outcome stage = run("prepare", "--help");
        assertEquals(0, stage.code());
        assertTrue(stage.out().startsWith("Usage: vae prepare"), stage.out());
    }

    /** Each usage error: exit 2, {@code error: <what>} and one line pointing to the help, instead of the whole usage. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                | error: missing command: choose one of prepare, train, evaluate, encode, render, generate, export, page, score, pipeline, experiment, report, example | vae",
            "bogus                           | error: unknown command 'bogus': choose one of prepare, train, evaluate, encode, render, generate, export, page, score, pipeline, experiment, report, example | vae",
            "prepare --conf x.conf --bogus   | error: Unknown option: '--bogus' | vae prepare",
            "train                           | error: Missing required option: '--conf=FILE' | vae train",
            "--bogus                         | error: Unknown option: '--bogus' | vae"})
    void usageErrorsSayWhatIsWrongAndWhereTheHelpIs(String args, String error, String command) {
        Outcome o = run(args == null ? new String[0] : args.split(" "));
        assertEquals(2, o.code(), o.err());
        assertEquals(List.of(error, "Run '" + command + " --help' for the usage."), o.err().strip().lines().toList());
    }

    @Test
    void pipelineHelpListsEveryConfigKeyWithItsDefaultAndMeaning() {
        String help = run("pipeline", "--help").out();
        for (JobConfigLoader.KeyDoc key : JobConfigLoader.keys()) {
            assertTrue(help.contains("\n  " + key.key() + " = " + key.defaultValue() + "\n"), key.key() + " = " + key.defaultValue() + " in:\n" + help);
            String firstWords = String.join(" ", List.of(key.meaning().split(" ")).subList(0, Math.min(4, key.meaning().split(" ").length)));
            assertTrue(help.contains(firstWords), key.key() + "'s meaning (" + firstWords + ") in:\n" + help);
        }
        assertTrue(help.contains("\n  train.epochs = 30\n      Passes over the training split.\n"), help);
    }

    /** A stage's help lists the keys of the sections it reads (and the common ones), and only those. */
    @ParameterizedTest
    @EnumSource(StageDescriptor.class)
    void eachStagesHelpListsItsOwnKeys(StageDescriptor stage) {
        Outcome o = run(stage.commandName(), "--help");
        assertEquals(0, o.code(), o.err());
        List<String> sections = new ArrayList<>(StageDescriptor.COMMON_SECTIONS);
        sections.addAll(stage.sections());
        int listed = 0;
        for (JobConfigLoader.KeyDoc key : JobConfigLoader.keys()) {
            boolean own = sections.contains(key.key().split("\\.", 2)[0]);
            boolean shown = o.out().contains("\n  " + key.key() + " = ");
            assertEquals(own, shown, key.key() + (own ? " missing from " : " should not be in ") + stage + " --help");
            listed += own ? 1 : 0;
        }
        assertTrue(listed > 2, stage + " lists keys of its own sections");
    }

    @Test
    void aMisspelledKeyGetsASuggestion() {
        Outcome o = run("train", "--conf", io.sparkvae.testing.TestData.confDir().resolve("punks-z2.conf").toString(), "--set",
                "train.epoch=3", "--root", System.getProperty("java.io.tmpdir"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("unknown key 'train.epoch'") && o.err().contains("did you mean 'train.epochs'?"), o.err());
    }

    /**
     * A failure none of the one-line kinds covers (every call of the root's file system throws an
     * IllegalStateException with a cause, as a buggy client might), in a JVM of its own as users run it: exit 1 and
     * stderr one error: line pointing to --verbose. With --verbose, after the command or before it, the same exit code
     * and the stack trace, cause included, right after the error: line.
     */
    @Test
    void anUnexpectedFailureIsOneLineAndItsStackTraceNeedsVerbose(@TempDir Path dir) throws Exception {
        List<String> options = List.of("--conf", TestData.confDir().resolve("punks-z2.conf").toString(), "--root",
                FailingFileSystem.SCHEME + ":///vae", "--master", "local[1]", "--spark-conf", FailingFileSystem.SPARK_CONF);
        String line = "error: IllegalStateException: " + FailingFileSystem.MESSAGE;

        Outcome quiet = runJvm(dir.resolve("quiet"), Stream.concat(Stream.of("train"), options.stream()).toList());
        assertEquals(1, quiet.code(), quiet.err());
        assertEquals(List.of(line + "; rerun with --verbose for the stack trace"), quiet.err().strip().lines().toList());

        List<List<String>> verboseRuns = List.of(Stream.concat(Stream.of("train"), Stream.concat(options.stream(), Stream.of("--verbose"))).toList(),
                Stream.concat(Stream.of("--verbose", "pipeline"), options.stream()).toList());
        for (int i = 0; i < verboseRuns.size(); i++) {
            Outcome verbose = runJvm(dir.resolve("verbose-" + i), verboseRuns.get(i));
            assertEquals(1, verbose.code(), verbose.err());
            List<String> lines = verbose.err().lines().toList();
            assertEquals(1, lines.stream().filter(l -> l.startsWith("error: ")).count(), verbose.err());
            int at = lines.indexOf(line);
            assertTrue(at >= 0, verboseRuns.get(i) + ": no '" + line + "' in\n" + verbose.err());
            assertEquals("java.lang.IllegalStateException: " + FailingFileSystem.MESSAGE, lines.get(at + 1), verbose.err());
            assertTrue(lines.get(at + 2).startsWith("\tat "), verbose.err());
            assertTrue(lines.contains("Caused by: java.io.IOException: " + FailingFileSystem.CAUSE), verbose.err());
        }
    }

    /** {@code vae <args>} in a fresh JVM (this one's classpath, VAE_LOG_LEVEL unset), its stdout and stderr apart. */
    private static Outcome runJvm(Path logs, List<String> args) throws Exception {
        Files.createDirectories(logs);
        List<String> cmd = ChildProcess.javaCommand(List.of("-Xmx512m"), VaeMain.class.getName(), args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(logs.resolve("out").toFile()).redirectError(logs.resolve("err").toFile());
        pb.environment().remove("VAE_LOG_LEVEL");
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "vae " + args + " did not finish");
            return new Outcome(p.exitValue(), Files.readString(logs.resolve("out")), Files.readString(logs.resolve("err")));
        } finally {
            ChildProcess.kill(p);
        }
    }
}
