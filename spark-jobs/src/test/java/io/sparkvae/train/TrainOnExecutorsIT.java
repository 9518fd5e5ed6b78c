package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.layout.RunLayout;
import io.sparkvae.train.TrainingOutputs;
import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.dataset.DatasetPreparer;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.LocalSpark;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter-averaging training with two executors that are separate JVM processes running the job jar, and the same
 * training on {@code local[2]}: a seeded run gives the same numbers on either.
 */
class TrainOnExecutorsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // executors that cannot start are relaunched forever
    void trainsOnTwoExecutorProcesses() throws Exception {
        JobConfig config = JobConfigLoader.load("data.dataset = punks\nmodel { latent = 2, hidden = [64] }\n"
                        + "train { epochs = 2, workers = 2, averaging-frequency = 1 }\ndata { limit = 200, partitions = 2 }",
                "it.conf", "it-punks", List.of());
        HadoopFiles files = HadoopFiles.withDefaults();
        var datasetDir = new org.apache.hadoop.fs.Path(tmp.resolve("datasets/punks-limit200").toString());
        List<EpochMetrics> onExecutors;
        SparkSession spark = LocalCluster.start("train", 2, 1, 2048);
        try {
            new DatasetPreparer(spark, files).prepare("punks", new org.apache.hadoop.fs.Path(TestData.rawDir().toString()),
                    200, 2, datasetDir, false, Provenance.of("it", Map.of(), 1, null));
            var result = train(spark, files, config, datasetDir, "it-punks");

            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executor JVMs besides the driver");
            assertEquals(2, result.history().size());
            assertTrue(result.history().get(1).trainNegElbo() < result.history().get(0).trainNegElbo(), result.history().toString());
            assertTrue(Files.exists(tmp.resolve("runs/it-punks/model/_SUCCESS")));
            assertEquals(2, Files.readAllLines(tmp.resolve("runs/it-punks/metrics.jsonl")).size());
            onExecutors = result.history();
        } finally {
            spark.stop();
        }
        SparkSession local = LocalSpark.start("train-local");
        try {
            List<EpochMetrics> inOneJvm = train(local, files, config, datasetDir, "it-punks-local").history();
            for (int e = 0; e < onExecutors.size(); e++) {
                // Bit for bit: the -ELBO sums must not depend on how many threads ND4J's pool has in the JVM.
                assertEquals(onExecutors.get(e).trainNegElbo(), inOneJvm.get(e).trainNegElbo(), "epoch " + (e + 1) + " train -ELBO");
                assertEquals(onExecutors.get(e).valNegElbo(), inOneJvm.get(e).valNegElbo(), "epoch " + (e + 1) + " validation -ELBO");
            }
        } finally {
            local.stop();
        }
    }

    private SparkTrainer.Result train(SparkSession spark, HadoopFiles files, JobConfig config, org.apache.hadoop.fs.Path datasetDir,
            String run) throws Exception {
        DatasetReader reader = new DatasetReader(spark, files);
        var manifest = reader.open(datasetDir, config.data());
        var layout = RunLayout.of(new org.apache.hadoop.fs.Path(tmp.toString()), run, "punks");
        return new SparkTrainer(spark, files, config).train(reader.split(datasetDir, manifest, "train"),
                reader.split(datasetDir, manifest, "val"), manifest.shape().size(), TrainingOutputs.of(layout),
                Provenance.of("it", config.resolved(), config.seed(), manifest.hash()), false, m -> {});
    }
}
