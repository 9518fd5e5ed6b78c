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
import io.sparkvae.testing.LocalCluster;
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

/** Parameter-averaging training with two executors that are separate JVM processes running the job jar. */
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
        SparkSession spark = LocalCluster.start("train", 2, 1, 2048);
        try {
            var datasetDir = new org.apache.hadoop.fs.Path(tmp.resolve("datasets/punks-limit200").toString());
            new DatasetPreparer(spark, files).prepare("punks", new org.apache.hadoop.fs.Path(TestData.rawDir().toString()),
                    200, 2, datasetDir, false, Provenance.of("it", Map.of(), 1, null));
            DatasetReader reader = new DatasetReader(spark, files);
            var manifest = reader.open(datasetDir, config.data());
            var layout = RunLayout.of(new org.apache.hadoop.fs.Path(tmp.toString()), "it-punks", "punks");

            var result = new SparkTrainer(spark, files, config).train(reader.split(datasetDir, manifest, "train"),
                    reader.split(datasetDir, manifest, "val"), manifest.shape().size(), TrainingOutputs.of(layout),
                    Provenance.of("it", config.resolved(), config.seed(), manifest.hash()), false, m -> {});

            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executor JVMs besides the driver");
            assertEquals(2, result.history().size());
            assertTrue(result.history().get(1).trainNegElbo() < result.history().get(0).trainNegElbo(), result.history().toString());
            assertTrue(Files.exists(tmp.resolve("runs/it-punks/model/_SUCCESS")));
            assertEquals(2, Files.readAllLines(tmp.resolve("runs/it-punks/metrics.jsonl")).size());
        } finally {
            spark.stop();
        }
    }
}
