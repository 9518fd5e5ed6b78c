package io.sparkvae.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sweep files: the shipped ones load as described; a bad one is refused in one line naming the file and run. */
class ExperimentFileTest {
    private static final HadoopFiles FILES = HadoopFiles.withDefaults();

    @TempDir
    Path tmp;

    private static Experiment shipped(String name, String... cliSets) {
        Path file = TestData.confDir().resolve("experiments").resolve(name + ".conf");
        return ExperimentFile.load(FILES, FILES.path(file.toString()), List.of(cliSets));
    }

    private static Map<String, JobConfig> byName(Experiment e) {
        return e.runs().stream().collect(Collectors.toMap(ExperimentRun::name, ExperimentRun::config));
    }

    @ParameterizedTest
    @CsvSource({"adagrad-step,3", "latent-sizes,10", "activation-optimizer,8", "depth-vs-width,6"})
    void shippedSweepsLoadWithPrefixedRunNamesAndTheCurveOn(String name, int runs) {
        Experiment e = shipped(name);
        assertEquals(name, e.name());
        assertEquals(runs, e.runs().size());
        for (ExperimentRun r : e.runs()) {
            assertTrue(r.name().startsWith(name + "-"), r.name());
            assertEquals(r.name(), r.config().runName());
            assertTrue(r.config().evaluate().curve(), r.name() + " scores its test curve");
            assertEquals(0, r.config().train().keepCheckpoints(), r.name() + " keeps every checkpoint");
            assertEquals(100, r.config().evaluate().isSamples(), r.name());
            assertTrue(r.overrides().get(r.overrides().size() - 1).equals("run.name=" + r.name()), "run.name applies last");
        }
        assertTrue(!e.description().isBlank());
    }

    @Test
    void latentSizesHasThePapersSetupNextToTheSeeds() {
        Map<String, JobConfig> runs = byName(shipped("latent-sizes"));
        for (int nz : new int[] {3, 5, 10, 20, 200}) {
            JobConfig paper = runs.get("latent-sizes-z" + nz + "-paper");
            assertEquals(nz, paper.model().latent());
            assertEquals(List.of(500), paper.model().hidden());
            assertEquals("tanh", paper.model().activation());
            assertEquals("normal", paper.model().init());
            assertEquals("adagrad", paper.train().optimizer());
            assertEquals(100, paper.train().batchSize());
            JobConfig seed = runs.get("latent-sizes-z" + nz + "-seed");
            assertEquals(nz, seed.model().latent());
            assertEquals("relu", seed.model().activation());
            assertEquals("adam", seed.train().optimizer());
            assertEquals(1e-3, seed.train().learningRate(), 0.0);
            assertEquals(paper.train().epochs(), seed.train().epochs());
            assertEquals("mnist", seed.data().dataset());
        }
    }

    @Test
    void sweepsCombineReusableBlocks() {
        Map<String, JobConfig> ao = byName(shipped("activation-optimizer"));
        JobConfig tanhAdagradPunks = ao.get("activation-optimizer-punks-tanh-adagrad");
        assertEquals("punks", tanhAdagradPunks.data().dataset());
        assertEquals("tanh", tanhAdagradPunks.model().activation());
        assertEquals("adagrad", tanhAdagradPunks.train().optimizer());
        assertEquals(20, tanhAdagradPunks.model().latent());
        assertTrue(tanhAdagradPunks.train().epochs() > ao.get("activation-optimizer-mnist-tanh-adagrad").train().epochs());
        Map<String, JobConfig> dw = byName(shipped("depth-vs-width"));
        assertEquals(List.of(500, 500), dw.get("depth-vs-width-punks-500x2").model().hidden());
        assertEquals(List.of(1000), dw.get("depth-vs-width-mnist-1000").model().hidden());
        assertEquals(2, dw.get("depth-vs-width-mnist-1000").model().latent());
    }

    @Test
    void commandLineSetsApplyToEveryRunAfterTheFiles() {
        Experiment e = shipped("depth-vs-width", "train.epochs=1", "data.limit=300");
        for (ExperimentRun r : e.runs()) {
            assertEquals(1, r.config().train().epochs(), r.name());
            assertEquals(r.config().data().dataset() + "-limit300", r.config().data().folderName());
        }
        assertEquals(List.of(500, 500), byName(e).get("depth-vs-width-mnist-500x2").model().hidden(), "the runs' own sets stay");
        assertTrue(e.sets().containsAll(List.of("train.epochs=1", "data.limit=300")));
    }

    private String refused(String body, String... cliSets) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("experiments"));
        Files.writeString(tmp.resolve("base.conf"), "data.dataset = mnist\n");
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, body);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExperimentFile.load(FILES, FILES.path(file.toString()), List.of(cliSets)));
        assertTrue(e.getMessage().startsWith("experiment ") && e.getMessage().contains("bad.conf"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badSweepsAreRefusedNamingTheFileRunAndProblem() throws Exception {
        String ok = "{ name = a, base = \"../base.conf\" }";
        assertTrue(refused("runs = [ { name = a, base = \"../base.conf\", set { model.latnet = 3 } } ]")
                .matches(".*runs\\[0\\] \\(a\\): config .*base.conf: unknown key 'model.latnet'.*"));
        assertTrue(refused("runs = [ { name = a, base = \"../base.conf\", set { train.epochs = 0 } } ]").contains("train.epochs"));
        assertTrue(refused("runs = [ { name = a, base = \"../missing.conf\" } ]").contains("base config not found"));
        assertTrue(refused("runs = [ " + ok + ", " + ok + " ]").contains("used twice"));
        assertTrue(refused("runs = [ { name = a } ]").contains("base is missing"));
        assertTrue(refused("runs = [ { name = a, base = \"../base.conf\", colour = red } ]").contains("unknown key 'colour'"));
        assertTrue(refused("runz = []").contains("unknown key 'runz'"));
        assertTrue(refused("runs = []").contains("runs is empty"));
        assertTrue(refused("set { run.name = x }\nruns = [ " + ok + " ]").contains("run.name cannot be set"));
        assertTrue(refused("runs = [ " + ok + " ]", "run.name=x").contains("run.name cannot be set"));
        assertTrue(refused("runs = [ " + ok + " ]", "train.epochs=-1").contains("train.epochs"));
        assertTrue(refused("runs = [ " + ok + " ]\nx = ${nowhere}").contains("nowhere"));
    }

    @Test
    void aNameIsLookedUpInTheExperimentsFolderAndAMissingOneIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> ExperimentFile.locate(FILES, "no-such-sweep"));
        assertTrue(e.getMessage().contains("conf/experiments/no-such-sweep.conf"), e.getMessage());
    }
}
