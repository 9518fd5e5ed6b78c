package io.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetPreparer;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.evaluate.ScoredSplit;
import io.sparkvae.evaluate.SplitScorer;
import io.sparkvae.evaluate.TinyModels;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.scoring.ExampleScore;
import io.sparkvae.scoring.ScoringSettings;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VaeModel} and {@link VaeEstimator} with two executors that are separate JVM processes running the job jar:
 * the transform equals the evaluate stage's scorer to the last bit, whatever the partitioning ({@link VaeEstimator}
 * on executor processes with HDFS: {@code VaeEstimatorOnClusterIT}).
 */
class VaeModelOnExecutorsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // executors that cannot start are relaunched forever
    void transformsOnTwoExecutorProcessesAsTheEvaluateStageScores() throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        SparkSession spark = LocalCluster.start("ml", 2, 1, 1024);
        try {
            var datasetDir = new org.apache.hadoop.fs.Path(tmp.resolve("datasets/mnist-limit200").toString());
            new DatasetPreparer(spark, files).prepare("mnist", new org.apache.hadoop.fs.Path(TestData.rawDir().toString()),
                    200, 2, datasetDir, false, Provenance.of("it", Map.of(), 1, null));
            DatasetReader reader = new DatasetReader(spark, files);
            var config = JobConfigLoader.load("data { dataset = mnist, limit = 200 }", "it.conf", "it", List.of());
            DatasetManifest manifest = reader.open(datasetDir, config.data());
            Dataset<Row> test = reader.split(datasetDir, manifest, "test");
            org.apache.hadoop.fs.Path modelDir = TinyModels.saveRun(TinyModels.trained(784, 3, 1), tmp, "it");

            ScoringSettings settings = ScoringSettings.of(7, 1, 15);
            Map<Integer, ExampleScore> evaluated = new TreeMap<>();
            try (ScoredSplit scored = SplitScorer.score(spark, test, VaeModel.load(modelDir.toString()).vae(), settings, 3)) {
                scored.scores().collect().forEach(s -> evaluated.put(s.index(), s));
            }
            VaeModel model = VaeModel.load(modelDir.toString()).setSeed(7).setIsSamples(15).setLogLikelihoodCol("ll");
            for (int partitions : new int[] {1, 3, 7}) {
                List<Row> rows = model.transform(test.repartition(partitions)).select("index", "neg_elbo", "ll", "latent_mean")
                        .collectAsList();
                assertEquals(200, rows.size());
                for (Row r : rows) {
                    ExampleScore e = evaluated.get(r.getInt(0));
                    assertEquals(e.negElbo(), r.getDouble(1), 0.0, "-ELBO of " + r.getInt(0) + ", " + partitions + " partitions");
                    assertEquals(e.logLikelihoodIs(), r.getDouble(2), 0.0, "log p(x) of " + r.getInt(0));
                    double[] z = ((Vector) r.get(3)).toArray();
                    float[] zf = new float[z.length];
                    for (int j = 0; j < z.length; j++) {
                        zf[j] = (float) z[j];
                    }
                    assertArrayEquals(e.latentMean(), zf);
                }
            }

            assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executor JVMs besides the driver");
        } finally {
            spark.stop();
        }
    }
}
