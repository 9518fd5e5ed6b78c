package io.sparkvae.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.sparkvae.model.AnomalyScore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobConfigLoaderTest {

    private static JobConfig load(String text, String... overrides) {
        return JobConfigLoader.load(text, "test.conf", "test", List.of(overrides));
    }

    @ParameterizedTest
    @CsvSource({"mnist-z2,mnist,2", "mnist-z20,mnist,20", "punks-z2,punks,2", "punks-z20,punks,20", "fashion-mnist-z20,fashion-mnist,20"})
    void shippedConfigsLoadWithTheSeedsSetup(String stem, String dataset, int latent) throws Exception {
        Path file = TestData.confDir().resolve(stem + ".conf");
        JobConfig c = JobConfigLoader.load(Files.readString(file), file.toString(), stem, List.of());
        assertEquals(stem, c.runName());
        assertEquals(dataset, c.data().dataset());
        assertEquals(latent, c.model().latent());
        assertEquals(List.of(500), c.model().hidden());
        assertEquals(30, c.train().epochs());
        assertEquals(100, c.train().batchSize(), "the reference implementation's minibatch on every worker");
        assertEquals(1e-3, c.train().learningRate(), 0.0);
        assertEquals("linear", c.train().learningRateScaling(), "averaged workers make up for the steps they share");
        assertEquals(1e-3 * c.train().workers(), c.train().workerLearningRate(), 1e-15);
        assertEquals("adam", c.train().optimizer());
    }

    @ParameterizedTest
    @CsvSource({"none,4,0.001", "linear,4,0.004", "sqrt,4,0.002", "linear,1,0.001"})
    void workerLearningRateScalesWithTheWorkers(String scaling, int workers, double expected) {
        JobConfig c = load("train { learning-rate = 1e-3, learning-rate-scaling = " + scaling + ", workers = " + workers + " }");
        assertEquals(expected, c.train().workerLearningRate(), 1e-15);
        assertEquals(1e-3, c.train().learningRate(), 0.0, "the configured rate stays as written");
    }

    @Test
    void unknownLearningRateScalingIsRefusedNamingTheKey() {
        var e = assertThrows(BadInputException.class, () -> load("train.learning-rate-scaling = square"));
        assertTrue(e.getMessage().contains("train.learning-rate-scaling"), e.getMessage());
    }

    @Test
    void scoreInputIsAStringOrAListAndNamesTheOutputFolder() {
        JobConfig one = load("", "score.input=\"hdfs://nn:8020/new/digits/*.png\"");
        assertEquals(List.of("hdfs://nn:8020/new/digits/*.png"), one.score().inputs());
        assertEquals("digits", one.score().folderName(), "the glob's fixed part");
        JobConfig list = load("", "score.input=[\"a/one.PNG\", \"b/\"]", "score.on-bad-image=skip");
        assertEquals(List.of("a/one.PNG", "b/"), list.score().inputs());
        assertEquals("one", list.score().folderName(), "the first file's name without its image extension");
        assertTrue(list.score().skipBad());
        assertEquals("images", load("").score().folderName());
        var e = assertThrows(BadInputException.class, () -> load("", "score.input=\"my digits/\""));
        assertTrue(e.getMessage().contains("score.input") && e.getMessage().contains("set score.name"), e.getMessage());
        assertEquals("mine", load("", "score.input=\"my digits/\"", "score.name=mine").score().folderName());
    }

    @Test
    void overridesApplyLastAndAreRecordedInTheResolvedConfig() {
        JobConfig c = load("data.dataset = punks\ntrain.epochs = 3", "train.epochs=7", "model.hidden=[500,500]", "data.limit=200");
        assertEquals(7, c.train().epochs());
        assertEquals(List.of(500, 500), c.model().hidden());
        assertEquals("punks-limit200", c.data().folderName());
        assertEquals(7, ((java.util.Map<?, ?>) c.resolved().get("train")).get("epochs"));
    }

    @Test
    void unknownKeyIsRefusedByName() {
        var e = assertThrows(BadInputException.class, () -> load("train { epoch = 3 }"));
        assertTrue(e.getMessage().contains("unknown key 'train.epoch'"), e.getMessage());
        var o = assertThrows(BadInputException.class, () -> load("", "model.latnet=3"));
        assertTrue(o.getMessage().contains("'model.latnet'"), o.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"train.epochs = 0", "model.latent = -1", "train.learning-rate = 0", "data.partitions = 0",
            "evaluate.is-samples = 0", "render.scale = 0"})
    void outOfRangeValuesAreRefusedNamingTheKey(String line) {
        String key = line.substring(0, line.indexOf(' '));
        var e = assertThrows(BadInputException.class, () -> load(line));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void anomalyScoresAreOnByDefaultEachCanBeSwitchedOffAndTheRankingOneMustBeOn() {
        JobConfig defaults = load("");
        assertEquals(AnomalyScore.optional(), defaults.scores().columns());
        assertEquals(AnomalyScore.REGION_SURPRISE, defaults.scores().rankBy());
        JobConfig fewer = load("scores { region-surprise = off, bias-corrected = false, colour-surprise = off, rank-by = neg-elbo }");
        assertEquals(java.util.Set.of(AnomalyScore.COMPLEXITY_CORRECTED), fewer.scores().columns());
        assertEquals(AnomalyScore.NEG_ELBO, fewer.scores().rankBy());
        var off = assertThrows(BadInputException.class, () -> load("", "scores.region-surprise=off"));
        assertTrue(off.getMessage().contains("scores.rank-by") && off.getMessage().contains("off"), off.getMessage());
        var unknown = assertThrows(BadInputException.class, () -> load("scores.rank-by = neg_elbo"));
        assertTrue(unknown.getMessage().contains("scores.rank-by") && unknown.getMessage().contains("region-surprise"),
                unknown.getMessage());
        var bool = assertThrows(BadInputException.class, () -> load("scores.bias-corrected = maybe"));
        assertTrue(bool.getMessage().contains("scores.bias-corrected"), bool.getMessage());
    }

    @Test
    void wrongTypesAndChoicesAreRefusedNamingTheKey() {
        var t = assertThrows(BadInputException.class, () -> load("train.epochs = lots"));
        assertTrue(t.getMessage().contains("train.epochs") && t.getMessage().contains("whole number"), t.getMessage());
        var d = assertThrows(BadInputException.class, () -> load("data.dataset = cifar"));
        assertTrue(d.getMessage().contains("data.dataset") && d.getMessage().contains("mnist, punks"), d.getMessage());
        var h = assertThrows(BadInputException.class, () -> load("model.hidden = [500, 0]"));
        assertTrue(h.getMessage().contains("model.hidden"), h.getMessage());
        var s = assertThrows(BadInputException.class, () -> load("train { epochs = ", ""));
        assertTrue(s.getMessage().startsWith("config test.conf:"), s.getMessage());
    }

    @Test
    void presetsAreSelectedByNameOrByPresetAndFixTheirFormat() {
        JobConfig.Data mnist = load("").data();
        assertEquals("mnist", mnist.preset(), "the default dataset name is the mnist preset");
        assertEquals("idx", mnist.format());
        assertEquals("mnist/t10k-images-idx3-ubyte", mnist.idx().testImages());
        assertEquals(10, mnist.idx().classes());
        JobConfig.Data punks = load("data.dataset = my-punks\ndata.preset = punks").data();
        assertEquals("my-punks", punks.folderName());
        assertEquals("sprite-sheet", punks.format());
        assertEquals(24, punks.spriteSheet().tileWidth());
        assertEquals("punks", ((java.util.Map<?, ?>) punks.formatSettings()).get("preset"));
        var e = assertThrows(BadInputException.class, () -> load("data.dataset = punks\ndata.sprite-sheet.count = 5"));
        assertTrue(e.getMessage().contains("data.sprite-sheet.count cannot be set with the punks preset"), e.getMessage());
        var f = assertThrows(BadInputException.class, () -> load("data.preset = punks\ndata.format = idx"));
        assertTrue(f.getMessage().contains("data.format cannot be set with the punks preset"), f.getMessage());
        var p = assertThrows(BadInputException.class, () -> load("data.preset = cifar"));
        assertTrue(p.getMessage().contains("data.preset = 'cifar' is not one of mnist, punks"), p.getMessage());
        // A format given explicitly reads the user's files, whatever the dataset is called.
        JobConfig.Data own = load("data { dataset = mnist, format = idx, idx.train-images = \"x/images.gz\" }").data();
        assertEquals("", own.preset());
        assertEquals("", own.idx().trainLabels());
    }

    @Test
    void formatKeysAreCheckedOnlyForTheChosenFormat() {
        JobConfig.Data folder = load("data { dataset = icons, format = image-folder, image-folder { width = 32, height = 24, channels = 3,"
                + " resize = fit, background = white, labels = subfolder, on-bad-image = skip } }").data();
        assertEquals(32, folder.imageFolder().image().width());
        assertEquals("skip", folder.imageFolder().onBadImage());
        assertEquals(null, folder.idx());
        var settings = folder.formatSettings();
        assertEquals(List.of("name", "path", "glob", "width", "height", "channels", "resize", "background", "labels", "on-bad-image",
                "val-fraction", "test-fraction"), List.copyOf(settings.keySet()));
        for (String bad : List.of("data.image-folder.resize = zoom", "data.image-folder.channels = 2", "data.image-folder.background = teal",
                "data.image-folder.labels = folder", "data.image-folder.on-bad-image = ignore", "data.val-fraction = 0",
                "data.test-fraction = 1")) {
            var e = assertThrows(BadInputException.class, () -> load("data { dataset = icons, format = image-folder }\n" + bad));
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf(' '))), bad + ": " + e.getMessage());
        }
        var sum = assertThrows(BadInputException.class, () -> load("data { dataset = t, format = parquet, parquet.path = t,"
                + " val-fraction = 0.6, test-fraction = 0.4 }"));
        assertTrue(sum.getMessage().contains("leaves nothing for train"), sum.getMessage());
        var noFile = assertThrows(BadInputException.class, () -> load("data { dataset = t, format = idx }"));
        assertTrue(noFile.getMessage().contains("data.idx.train-images must not be empty"), noFile.getMessage());
        var name = assertThrows(BadInputException.class, () -> load("data { dataset = \"../up\", format = idx }"));
        assertTrue(name.getMessage().contains("data.dataset '../up'"), name.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"'', mnist", "'data.dataset = punks', punks",
            "'data { dataset = f, format = idx, idx.train-images = \"fashion-mnist/a.gz\", idx.test-images = \"fashion-mnist/b.gz\" }', fashion-mnist",
            "'data { dataset = f, format = idx, idx.train-images = \"fashion-mnist/a.gz\", idx.test-images = \"hdfs://nn/b.gz\" }', none",
            "'data { dataset = f, format = image-folder }', none",
            "'data { dataset = f, format = sprite-sheet, sprite-sheet { file = punks/other.png, tile-width = 2, tile-height = 2, columns = 1, count = 1 } }', punks"})
    void theFetchableDataSetAConfigReadsIsNamed(String config, String expected) {
        assertEquals(expected, load(config).data().fetchDataSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/abs/path", "hdfs://nn/x", ".hidden", "a/b"})
    void runNamesThatCouldLeaveTheRootAreRefused(String name) {
        var e = assertThrows(BadInputException.class, () -> load("run.name = \"" + name + "\""));
        assertTrue(e.getMessage().contains("run.name"), e.getMessage());
    }

    @Test
    void aBareUriOverrideIsTakenWhole() {
        // Unquoted, HOCON would read everything after "//" as a comment.
        assertEquals("hdfs://nn:8020/vae/raw", load("", "data.raw=hdfs://nn:8020/vae/raw").data().raw());
        assertEquals("hdfs://nn/x", load("", "data.raw=\"hdfs://nn/x\"").data().raw());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train.epochs=null | config test.conf: train.epochs is null; give it a value or leave it out for its default, 30",
            "train=5           | config test.conf: train is a section (",
            "data.limit=200.7  | config test.conf: data.limit must be a whole number, got 200.7",
            "train.epochs=0.5  | config test.conf: train.epochs must be a whole number, got 0.5",
            "seed=1e30         | config test.conf: seed = 1.0E30 is out of range",
            "seed=3.5          | config test.conf: seed must be a whole number, got 3.5",
            "bogus.key=null    | config test.conf: unknown key 'bogus.key'",
            "model.hidden=null | config test.conf: model.hidden is null"})
    void nullsSectionsFractionsAndOverflowsAreRefusedNamingTheKey(String set, String message) {
        var e = assertThrows(BadInputException.class, () -> load("", set));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void wholeNumbersMayBeWrittenAsDecimalsAndAValueCannotHideASection() {
        assertEquals(200, load("", "data.limit=200.0").data().limit());
        assertEquals(1000, load("", "seed=1e3").seed());
        var e = assertThrows(BadInputException.class, () -> load("seed { a = 1 }"));
        assertTrue(e.getMessage().contains("seed is a value, not a section"), e.getMessage());
    }

    @Test
    void overrideValuesHoconWouldCutAtACommentAreTakenWhole() {
        assertEquals("/data/run #2", load("", "data.raw=/data/run #2").data().raw());
        assertEquals("hdfs://nn/a b#c", load("", "data.raw=hdfs://nn/a b#c").data().raw());
    }

    @Test
    void includesResolveNextToTheConfigFile(@TempDir Path dir) throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path sub = Files.createDirectories(dir.resolve("a dir #%é"));
        Files.writeString(dir.resolve("base.conf"), "train.epochs = 1\ndata.limit = 200\nmodel.latent = 2\n");
        Files.writeString(sub.resolve("smoke.conf"), "include \"../base.conf\"\ninclude \"more\"\ndata.limit = 300\n");
        Files.writeString(sub.resolve("more.conf"), "model.hidden = [32]\n");
        JobConfig c = JobConfigLoader.loadFile(files, sub.resolve("smoke.conf").toString(), List.of("train.workers=1"));
        assertEquals(1, c.train().epochs(), "from the include next to the file, not the default 30");
        assertEquals(2, c.model().latent());
        assertEquals(List.of(32), c.model().hidden(), "include \"more\" means more.conf");
        assertEquals(300, c.data().limit(), "the including file overrides what it includes");
        assertEquals("smoke", c.runName());

        Files.writeString(sub.resolve("broken.conf"), "include \"nowhere.conf\"\n");
        var e = assertThrows(BadInputException.class,
                () -> JobConfigLoader.loadFile(files, sub.resolve("broken.conf").toString(), List.of()));
        assertTrue(e.getMessage().contains("nowhere.conf") && e.getMessage().contains("not found"), e.getMessage());
        Files.writeString(sub.resolve("loop.conf"), "include \"loop.conf\"\n");
        var loop = assertThrows(BadInputException.class, () -> JobConfigLoader.loadFile(files, sub.resolve("loop.conf").toString(), List.of()));
        assertTrue(loop.getMessage().contains("include cycle"), loop.getMessage());
    }

    @Test
    void missingIncludesOfEveryKindAreRefusedNamingThem(@TempDir Path dir) throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        Files.writeString(dir.resolve("base.conf"), "train.epochs = 1\n");
        Map<String, String> missing = Map.of(
                "include url(\"" + dir.resolve("gone.conf").toUri() + "\")\n", "gone.conf",
                "include url(\"file:gone-too.conf\")\n", "gone-too.conf",
                "include classpath(\"io/sparkvae/no-such.conf\")\n", "io/sparkvae/no-such.conf",
                "include required(file(\"absent.conf\"))\n", "absent.conf");
        for (Map.Entry<String, String> c : missing.entrySet()) {
            Files.writeString(dir.resolve("run.conf"), c.getKey());
            var e = assertThrows(BadInputException.class, () -> JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()),
                    c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()) && e.getMessage().contains("not found"), c.getKey() + " -> " + e.getMessage());
        }
        // Present ones of each kind still work.
        Files.writeString(dir.resolve("run.conf"), "include url(\"" + dir.resolve("base.conf").toUri() + "\")\n");
        assertEquals(1, JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()).train().epochs());
        Files.writeString(dir.resolve("run.conf"), "include url(\"file:base.conf\")\n");
        assertEquals(1, JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()).train().epochs());
    }

    @Test
    void networkIncludesAreRefusedWithoutAConnectionUnlessAllowed(@TempDir Path dir) throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "train.epochs = 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean found = exchange.getRequestURI().getPath().equals("/base.conf");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
            if (found) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            Files.writeString(dir.resolve("run.conf"), "include url(\"" + url + "/base.conf\")\n");
            var e = assertThrows(BadInputException.class, () -> JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()));
            assertTrue(e.getMessage().contains(url + "/base.conf") && e.getMessage().contains(ConfigIncludes.NETWORK_INCLUDES)
                    && e.getMessage().contains("run.conf"), e.getMessage());
            assertEquals(0, requests.get(), "the config made the tool connect");

            System.setProperty(ConfigIncludes.NETWORK_INCLUDES, "true");
            assertEquals(3, JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()).train().epochs());
            assertEquals(1, requests.get());
            Files.writeString(dir.resolve("run.conf"), "include url(\"" + url + "/gone.conf\")\n");
            var gone = assertThrows(BadInputException.class, () -> JobConfigLoader.loadFile(files, dir.resolve("run.conf").toString(), List.of()));
            assertTrue(gone.getMessage().contains(url + "/gone.conf"), gone.getMessage());
        } finally {
            System.clearProperty(ConfigIncludes.NETWORK_INCLUDES);
            server.stop(0);
        }
    }

    @Test
    void aConfigThatIncludesTheDefaultsStillSelectsItsPreset() {
        JobConfig c = load("include classpath(\"io/sparkvae/defaults.conf\")\ndata.dataset = punks\n");
        assertEquals("sprite-sheet", c.data().format(), "every key at its default is a key not set");
        var e = assertThrows(BadInputException.class,
                () -> load("include classpath(\"io/sparkvae/defaults.conf\")\ndata { dataset = punks, sprite-sheet.count = 5 }\n"));
        assertTrue(e.getMessage().contains("data.sprite-sheet.count cannot be set with the punks preset"), e.getMessage());
    }

    @Test
    void aNameTooLongSaysTheLimit() {
        var e = assertThrows(BadInputException.class, () -> load("", "run.name=" + "a".repeat(101)));
        assertTrue(e.getMessage().contains("1 to 100 letters"), e.getMessage());
        assertEquals("a".repeat(100), load("", "run.name=" + "a".repeat(100)).runName());
    }

    @Test
    void everyKeyHasADefaultAndAMeaning() {
        List<JobConfigLoader.KeyDoc> keys = JobConfigLoader.keys();
        assertEquals("run.name", keys.get(0).key(), "in defaults.conf's order");
        assertTrue(keys.size() >= 25, keys.toString());
        for (JobConfigLoader.KeyDoc k : keys) {
            assertTrue(!k.meaning().isBlank(), k.key() + " has no comment in defaults.conf");
        }
    }

    @Test
    void malformedOverrideIsRefused() {
        var e = assertThrows(BadInputException.class, () -> load("", "train.epochs"));
        assertTrue(e.getMessage().contains("--set train.epochs"), e.getMessage());
    }
}
