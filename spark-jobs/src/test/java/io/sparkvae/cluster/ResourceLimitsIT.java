package io.sparkvae.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.LocalCluster;
import io.sparkvae.testing.StageMemory;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StageRuns;
import io.sparkvae.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory the README promises (issue #7): {@code train} for MNIST nz=20 (conf/mnist-z20.conf, all 50,000
 * training images, one epoch) runs with two 2 GB executor JVMs and a driver heap of {@value #DRIVER_HEAP}, and each
 * executor's resident memory (heap plus ND4J's native buffers) stays inside the container a YARN or Kubernetes
 * cluster would give a 2 GB executor (2 GB plus the default overhead of 384 MB).
 */
class ResourceLimitsIT {
    static final String DRIVER_HEAP = "1g";
    static final int EXECUTOR_MB = 2048;
    /** Spark's default spark.executor.memoryOverhead: max(384 MB, 10% of the executor memory). */
    static final int CONTAINER_MB = EXECUTOR_MB + Math.max(384, EXECUTOR_MB / 10);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void mnistZ20TrainsWithTwoGigabyteExecutorsAndABoundedDriver() {
        Path conf = TestData.confDir().resolve("mnist-z20.conf");
        Path root = tmp.resolve("root");
        String raw = "data.raw=" + TestData.rawDir();
        StageRuns.Outcome prepared = StageRuns.vae("prepare", conf, root, "--set", raw);
        assertEquals(0, prepared.code(), prepared.err());

        List<String> cmd = new ArrayList<>(List.of(ChildProcess.repo().resolve("scripts/vae").toString(), "train",
                "--conf", conf.toString(), "--root", root.toString(), "--set", raw, "--set", "train.epochs=1"));
        cmd.addAll(LocalCluster.stageOptions(2, 1, EXECUTOR_MB));
        Map<String, String> env = new HashMap<>(LocalCluster.childEnv());
        env.put("VAE_DRIVER_MEMORY", DRIVER_HEAP);
        StageMemory.Peaks peaks = StageMemory.run(cmd, env, tmp, "train", Duration.ofMinutes(8));

        assertEquals(0, peaks.result().exitCode(), peaks.result().tail());
        System.out.printf("memory, train mnist-z20 1 epoch (driver -Xmx%s, executors %d MB): driver heap %d MB, RSS %d MB; "
                        + "executor heap %d MB, RSS %d MB (%d executors, %s); %.0f s%n", DRIVER_HEAP, EXECUTOR_MB,
                peaks.driverHeapMb(), peaks.driverRssMb(), peaks.executorHeapMb(), peaks.executorRssMb(), peaks.executors(),
                peaks.executorHeapFlags(), peaks.result().seconds());
        new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri())).assertTrained("mnist-z20", 1);
        assertEquals(Set.of("-Xmx" + EXECUTOR_MB + "M"), peaks.executorHeapFlags(), "the executors' heap, as Spark started them");
        assertEquals(2, peaks.executors(), "executor JVMs seen (a third would have replaced a lost one)");
        assertEquals(0, peaks.result().count(" lost ("), "no executor may be lost (to memory or else):\n" + peaks.result().tail());
        assertTrue(peaks.executorHeapMb() > 0 && peaks.driverHeapMb() > 0, "Spark reported no heap metrics: " + peaks);
        assertTrue(peaks.executorRssMb() < CONTAINER_MB, "executor resident memory " + peaks.executorRssMb()
                + " MB exceeds the " + CONTAINER_MB + " MB container of a " + EXECUTOR_MB + " MB executor");
    }
}
