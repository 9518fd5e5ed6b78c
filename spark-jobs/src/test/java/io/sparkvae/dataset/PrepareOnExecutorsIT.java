package io.sparkvae.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** prepare with two executor JVMs: the slicing runs in other processes and still lands pixel-exact. */
class PrepareOnExecutorsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // executors that cannot start are relaunched forever
    void slicesOnSeparateExecutorProcesses() {
        SparkSession spark = LocalCluster.start("prepare", 2, 1, 1024);
        try {
            var files = HadoopFiles.withDefaults();
            Path out = tmp.resolve("datasets/punks-limit400");
            new DatasetPreparer(spark, files).prepare("punks", new org.apache.hadoop.fs.Path(TestData.rawDir().toString()),
                    400, 4, new org.apache.hadoop.fs.Path(out.toString()), false, Provenance.of("it", Map.of(), 1, null));
            assertTrue(Files.exists(out.resolve("_SUCCESS")));
            long executors = spark.sparkContext().getExecutorMemoryStatus().size() - 1; // minus the driver
            assertEquals(2, executors);
            assertEquals(400, spark.read().parquet(out.resolve("test").toString()).count());
        } finally {
            spark.stop();
        }
    }
}
