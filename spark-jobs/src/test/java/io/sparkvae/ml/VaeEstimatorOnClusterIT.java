package io.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.BadInputException;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.MiniHadoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VaeEstimator} on executors that are separate JVM processes, with HDFS: a fit without {@code checkpointDir}
 * trains in a temporary folder on the cluster's file system (the default file system's working folder), and a path on
 * the driver's local disk, which executors on other machines could not read, is refused before any job runs.
 */
class VaeEstimatorOnClusterIT {
    private static final int ROWS = 120;

    @TempDir
    Path tmp;

    private static VaeEstimator small() {
        return new VaeEstimator().setLatentSize(2).setHiddenSizes(new int[] {8}).setEpochs(1).setBatchSize(20)
                .setWorkers(2).setAveragingFrequency(1).setSeed(5);
    }

    /** {@code ROWS} images of 16 pixels in [0, 1], no index column: a DataFrame as a user may have it. */
    private static Dataset<Row> images(SparkSession spark) {
        Random random = new Random(1);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Float[] pixels = new Float[16];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = random.nextFloat();
            }
            rows.add(RowFactory.create((Object) pixels));
        }
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false));
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // executors that cannot start are relaunched forever
    void aFitWithoutCheckpointDirTrainsOnTheClustersFileSystemAndRefusesTheDriversDisk() throws Exception {
        try (MiniHadoop hadoop = MiniHadoop.startHdfs(tmp.resolve("hadoop"))) {
            SparkSession spark = LocalCluster.start("ml-estimator", 2, 1, 1024);
            try {
                Dataset<Row> images = images(spark);

                // The default file system is the driver's disk: refused in one line naming it, before any training.
                BadInputException byDefault = assertThrows(BadInputException.class, () -> small().fit(images));
                assertTrue(byDefault.getMessage().contains("the default file system's working folder file:")
                        && byDefault.getMessage().contains("on the driver's local disk"), byDefault.getMessage());
                assertFalse(byDefault.getMessage().contains("\n"), byDefault.getMessage());
                Path local = tmp.resolve("fit");
                BadInputException explicit = assertThrows(BadInputException.class,
                        () -> small().setCheckpointDir(local.toString()).fit(images));
                assertTrue(explicit.getMessage().contains("checkpointDir file:" + local), explicit.getMessage());
                assertFalse(Files.exists(local), "nothing written to the refused folder");

                // HDFS as the default file system: the fit trains in a folder there and removes it afterwards.
                spark.sparkContext().hadoopConfiguration().set(FileSystem.FS_DEFAULT_NAME_KEY, hadoop.hdfs());
                PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {small()}).fit(images);
                FileSystem fs = hadoop.fileSystem();
                org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(fs.getWorkingDirectory(),
                        TrainingFolder.UNDER_WORKING_DIR);
                assertTrue(fs.exists(parent), "no training folder was made under " + parent);
                assertEquals(0, fs.listStatus(parent).length, "the temporary training folder is left behind");
                List<Row> scored = fitted.transform(images).select("neg_elbo").collectAsList();
                assertEquals(ROWS, scored.size());
                assertTrue(scored.stream().allMatch(r -> Double.isFinite(r.getDouble(0)) && r.getDouble(0) > 0), scored.toString());

                // An explicit checkpointDir on HDFS keeps the training's files there.
                String kept = hadoop.hdfs() + "/fits/one";
                small().setCheckpointDir(kept).fit(images);
                assertTrue(fs.exists(new org.apache.hadoop.fs.Path(kept + "/model/_SUCCESS")));
                assertEquals(1, hadoop.read(kept + "/metrics.jsonl").lines().filter(l -> !l.isBlank()).count());
                assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executor JVMs besides the driver");
            } finally {
                spark.stop();
            }
        }
    }
}
