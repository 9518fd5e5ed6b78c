package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.testing.ConsoleRun;
import io.sparkvae.testing.ConsoleRun.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
            "                                | error: missing command: choose one of prepare, train, evaluate, encode, render, generate, page, pipeline, experiment, report, example | vae",
            "bogus                           | error: unknown command 'bogus': choose one of prepare, train, evaluate, encode, render, generate, page, pipeline, experiment, report, example | vae",
            "prepare --conf x.conf --bogus   | error: Unknown option: '--bogus' | vae prepare",
            "train                           | error: Missing required option: '--conf=FILE' | vae train",
            "--bogus                         | error: Unknown option: '--bogus' | vae"})
    void usageErrorsSayWhatIsWrongAndWhereTheHelpIs(String args, String error, String command) {
        Outcome o = run(args == null ? new String[0] : args.split(" "));
        assertEquals(2, o.code(), o.err());
        assertEquals(List.of(error, "Run '" + command + " --help' for the usage."), o.err().strip().lines().toList());
    }

    @Test
    void stageHelpListsEveryConfigKeyWithItsDefaultAndMeaning() {
        String help = run("train", "--help").out();
        for (JobConfigLoader.KeyDoc key : JobConfigLoader.keys()) {
            assertTrue(help.contains("\n  " + key.key() + " = " + key.defaultValue() + "\n"), key.key() + " = " + key.defaultValue() + " in:\n" + help);
            String firstWords = String.join(" ", List.of(key.meaning().split(" ")).subList(0, Math.min(4, key.meaning().split(" ").length)));
            assertTrue(help.contains(firstWords), key.key() + "'s meaning (" + firstWords + ") in:\n" + help);
        }
        assertTrue(help.contains("\n  train.epochs = 30\n      Passes over the training split.\n"), help);
        assertTrue(run("pipeline", "--help").out().contains("\n  data.limit = 0\n"));
    }
}
