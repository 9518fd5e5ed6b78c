package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.model.EpochMetrics;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeLayer;
import io.sparkvae.model.VaeStore;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.TreeSnapshot;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/** The train stage end to end through the command line on a real local Spark, on 200 real punks per split. */
@Tag("spark")
class TrainStageTest {
    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path conf;
    private static Path datasetRoot;

    /** Runs a stage on the shared tiny punks config, through the command line as users do. */
    private static StageRuns.Outcome vae(String stage, Path root, String... extra) {
        List<String> a = new ArrayList<>(List.of("--set", "data.limit=200", "--set", "data.raw=" + TestData.rawDir(),
                "--set", "data.partitions=2", "--set", "model.hidden=[64]"));
        a.addAll(Arrays.asList(extra));
        return StageRuns.vae(stage, conf, root, a.toArray(new String[0]));
    }

    @BeforeAll
    static void prepareDataset() throws Exception {
        conf = shared.resolve("tiny-punks.conf");
        Files.writeString(conf, "data.dataset = punks\nmodel.latent = 2\ntrain { epochs = 2, averaging-frequency = 1 }\n");
        datasetRoot = shared.resolve("root");
        StageRuns.Outcome o = vae("prepare", datasetRoot);
        assertEquals(0, o.code(), o.err());
    }

    /** A fresh root that shares the prepared dataset (copied, so each test owns its runs). */
    private Path rootWithDataset() throws Exception {
        Path root = Files.createTempDirectory(tmp, "root");
        Path src = datasetRoot.resolve("datasets");
        try (var walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dst = root.resolve("datasets").resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        return root;
    }

    private static List<EpochMetrics> metrics(Path root) throws Exception {
        return EpochMetrics.parse(Files.readString(root.resolve("runs/tiny-punks/metrics.jsonl")), "metrics.jsonl");
    }

    @Test
    void trainsWritesCheckpointsMetricsAndModelThenSkipsOnRerun() throws Exception {
        Path root = rootWithDataset();
        StageRuns.Outcome o = vae("train", root);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("epoch 1/2") && o.out().contains("epoch 2/2"), o.out());
        Path run = root.resolve("runs/tiny-punks");
        assertTrue(Files.exists(run.resolve("model/_SUCCESS")));
        assertTrue(Files.exists(run.resolve("model/model.zip")));
        assertTrue(Files.exists(run.resolve("model/checkpoints/epoch-001/_SUCCESS")));
        assertTrue(Files.exists(run.resolve("model/checkpoints/epoch-002/_SUCCESS")));
        assertTrue(Files.readString(run.resolve("model/provenance.json")).contains("\"datasetSha256\""));

        List<EpochMetrics> m = metrics(root);
        assertEquals(List.of(1, 2), m.stream().map(EpochMetrics::epoch).toList());
        for (EpochMetrics e : m) {
            assertTrue(e.trainNegElbo() > 0 && Double.isFinite(e.valNegElbo()) && e.imagesPerSecond() > 0, e.toString());
        }
        assertTrue(m.get(1).trainNegElbo() < m.get(0).trainNegElbo(), "the second epoch trains to a lower -ELBO: " + m);
        try (var files = Files.list(run)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("train-batches")), "exported minibatches cleaned up");
        }

        StageRuns.Outcome again = vae("train", root);
        assertEquals(0, again.code());
        assertTrue(again.out().contains("already complete; skipping"), again.out());
    }

    @Test
    void scaledLearningRateReachesTheWorkersAndAResumeMustKeepIt() throws Exception {
        Path root = rootWithDataset();
        StageRuns.Outcome first = vae("train", root, "--set", "train.epochs=1", "--set", "train.workers=2",
                "--set", "train.learning-rate=1e-3", "--set", "train.learning-rate-scaling=linear");
        assertEquals(0, first.code(), first.err());
        Path model = root.resolve("runs/tiny-punks/model");
        Vae vae = VaeStore.load(new org.apache.hadoop.fs.Path(model.toUri()), HadoopFiles.withDefaults()).vae();
        assertEquals(2e-3, vae.spec().learningRate(), 1e-12, "the model records the rate its workers trained at");
        VaeLayer layer = (VaeLayer) vae.network().getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(2e-3, ((Adam) layer.getIUpdater()).getLearningRate(), 1e-12, "the network's Adam runs at it");
        assertTrue(Files.readString(model.resolve("provenance.json")).contains("\"learning-rate-scaling\" : \"linear\""),
                "the configured scaling is in the provenance");

        // The same run resumed without the scaling would continue at another step size: refused, naming both.
        Files.delete(model.resolve("_SUCCESS"));
        StageRuns.Outcome resumed = vae("train", root, "--resume", "--set", "train.epochs=2", "--set", "train.workers=2",
                "--set", "train.learning-rate=1e-3", "--set", "train.learning-rate-scaling=none");
        assertEquals(2, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("learningRate 0.002 (config: 0.001)"), resumed.err());
    }

    @Test
    void resumingFromACheckpointMatchesAnUninterruptedRun() throws Exception {
        Path straight = rootWithDataset();
        // --resume with nothing to resume (as the pipeline always asks) trains afresh, and says nothing of resuming.
        StageRuns.Outcome fresh = vae("train", straight, "--resume");
        assertEquals(0, fresh.code(), fresh.err());
        assertTrue(fresh.out().contains(" 2 epochs, ") && !fresh.out().contains("resuming"), fresh.out());

        Path resumed = tmp.resolve("resumed");
        Files.createDirectories(resumed);
        Files.move(rootWithDataset().resolve("datasets"), resumed.resolve("datasets"));
        StageRuns.Outcome first = vae("train", resumed, "--set", "train.epochs=1");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains(" 1 epoch, "), "not '1 epochs': " + first.out());
        // Simulate the interruption: the run had not finished, only its first checkpoint exists.
        Files.delete(resumed.resolve("runs/tiny-punks/model/_SUCCESS"));
        StageRuns.Outcome o = vae("train", resumed, "--resume");
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("epoch 1/2"), "epoch 1 is not trained again: " + o.out());

        List<EpochMetrics> a = metrics(straight);
        List<EpochMetrics> b = metrics(resumed);
        assertEquals(2, b.size());
        assertEquals(a.get(1).trainNegElbo(), b.get(1).trainNegElbo(), 1e-3 * a.get(1).trainNegElbo());
        assertEquals(a.get(1).valNegElbo(), b.get(1).valNegElbo(), 1e-3 * a.get(1).valNegElbo());
    }

    @Test
    void divergenceStopsWithAMessageNamingTheEpochAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path root = rootWithDataset();
        // Adam steps of size 10 blow the log-variance up within the first epochs. Measured: with 5 minibatches between
        // averaging rounds it diverged in epoch 2 or 3 for seeds 42, 1 and 2; averaging after every one, only for seed 2.
        StageRuns.Outcome o = vae("train", root, "--set", "train.learning-rate=10", "--set", "train.averaging-frequency=5",
                "--set", "train.epochs=5");
        assertEquals(2, o.code(), o.out() + o.err());
        var m = java.util.regex.Pattern.compile("diverged in epoch (\\d+)").matcher(o.err());
        assertTrue(m.find() && o.err().contains("learning-rate"), o.err());
        int epoch = Integer.parseInt(m.group(1));
        // The interrupted training's checkpoints are in its own folder, beside where the model would go.
        Path checkpoints = root.resolve("runs/tiny-punks/.model.training/checkpoints");
        assertFalse(Files.exists(checkpoints.resolve(String.format("epoch-%03d", epoch))), "no checkpoint of the diverged epoch");
        if (epoch > 1) {
            assertTrue(o.err().contains(String.format("epoch-%03d", epoch - 1)), o.err());
            assertTrue(Files.exists(checkpoints.resolve(String.format("epoch-%03d/_SUCCESS", epoch - 1))), "last good checkpoint intact");
        }
        assertFalse(Files.exists(root.resolve("runs/tiny-punks/model/_SUCCESS")));
    }

    @Test
    void resumingWithFewerEpochsThanTheCheckpointHasIsRefusedNamingBoth() throws Exception {
        Path root = rootWithDataset();
        assertEquals(0, vae("train", root).code()); // two epochs
        Path run = root.resolve("runs/tiny-punks");
        // Interrupted after its last checkpoint, before the model was marked complete.
        Files.delete(run.resolve("model/_SUCCESS"));
        Map<String, String> before = TreeSnapshot.outputs(run);

        StageRuns.Outcome o = vae("train", root, "--resume", "--set", "train.epochs=1");
        assertEquals(2, o.code(), o.out() + o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: cannot resume from ") && err.contains("model/checkpoints/epoch-002: it has trained 2"
                + " epochs but train.epochs = 1"), err);
        assertEquals(before, TreeSnapshot.outputs(run), "nothing written: no model claiming 1 epoch was made");
    }

    @Test
    void aModelTooBigForTheMemoryIsRefusedBeforeAnythingIsAllocated() throws Exception {
        Path root = rootWithDataset();
        // Both values are in the accepted ranges; together they make 3.3e9 parameters (about 13 GB each copy).
        StageRuns.Outcome o = vae("train", root, "--set", "model.latent=10000", "--set", "model.hidden=[100000]");
        assertEquals(2, o.code(), o.out() + o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: model.hidden = [100000] and model.latent = 10000 make a VAE of 3,345,821,728"
                + " parameters (1728 inputs): training needs at least "), err);
        assertTrue(err.contains("GiB in the driver") && err.contains("the driver has "), err);
        assertFalse(Files.exists(root.resolve("runs/tiny-punks/model")) || Files.exists(root.resolve("runs/tiny-punks/.model.training")));
    }

    @Test
    void partitionsBeyondTheDataAreBoundedByIt() throws Exception {
        Path root = Files.createTempDirectory(tmp, "partitions");
        SparkSession spark = LocalSpark.start("partitions");
        LongAdder tasks = new LongAdder();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasks.increment();
            }
        });
        try {
            // 100000 partitions for 200 examples a split: without the bound, 100000 tasks per split and stage.
            for (String stage : List.of("prepare", "train")) {
                StageRuns.Outcome o = vae(stage, root, "--set", "data.partitions=100000", "--set", "train.epochs=1");
                assertEquals(0, o.code(), stage + ": " + o.err());
            }
        } finally {
            spark.stop();
        }
        long ran = tasks.sum();
        System.out.println("prepare and train with data.partitions=100000 on 200 examples per split: " + ran + " tasks");
        assertTrue(ran < 1000, ran + " tasks");
    }
}
