package io.sparkvae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.testing.ConsoleRun;
import io.sparkvae.testing.ConsoleRun.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
