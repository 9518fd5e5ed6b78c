package io.sparkvae.cluster;

import io.sparkvae.testing.StageRuns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkvae.io.HadoopFiles;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.StandaloneCluster;
import io.sparkvae.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit door: a real standalone Master and Worker (child JVMs on loopback), each stage submitted with
 * {@code scripts/submit.sh <stage> --master spark://... -- ...}; executors are JVMs the Worker launches.
 */
class StandaloneSubmitIT {
    static final List<String> STAGES = List.of("prepare", "train", "evaluate", "render");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyStageRunsThroughSparkSubmitOnAStandaloneCluster() throws Exception {
        Path repo = ChildProcess.repo();
        Path root = tmp.resolve("out");
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, "2g")) {
            Map<String, String> env = new HashMap<>(cluster.env());
            env.put("VAE_SPARK_SUBMIT", "java"); // Spark's SparkSubmit on plain java, whatever is on this machine's PATH
            env.put("VAE_DRIVER_MEMORY", "1g");
            for (String stage : STAGES) {
                ChildProcess.Result r = submit(repo, env, stage, cluster.url(), List.of("--conf", repo.resolve("conf/punks-z2.conf").toString(),
                        "--root", root.toString(), "--set", "data.raw=" + TestData.rawDir(), "--set", "data.limit=200",
                        "--set", "train.epochs=1", "--set", "evaluate.is-samples=10"));
                assertEquals(0, r.exitCode(), stage + " through spark-submit failed:\n" + r.tail());
                System.out.printf("standalone: %s via submit.sh in %.1f s%n", stage, r.seconds());
            }

            StageOutputs out = new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(root.toUri()));
            out.assertPrepared("punks-limit200", 200);
            out.assertTrained("punks-z2", 1);
            out.assertEvaluated("punks-z2", 200);
            out.assertRendered("punks-z2");
            out.assertNoLeftovers();

            // The work ran on the cluster: one application per Spark-using stage, each with an executor that
            // fetched the job jar from the driver (the Worker's per-application folders keep their logs).
            List<Path> apps = cluster.applicationDirs();
            assertTrue(apps.size() >= 3, "applications on the Worker: " + apps);
            for (Path app : apps) {
                List<Path> stderr = new ArrayList<>();
                try (var s = Files.walk(app)) {
                    s.filter(p -> p.getFileName().toString().equals("stderr")).forEach(stderr::add);
                }
                assertTrue(stderr.stream().anyMatch(p -> ChildProcess.read(p).contains("spark-vae-jobs.jar")),
                        "no executor of " + app + " fetched the job jar");
            }

            // Exit codes survive spark-submit: a missing config is 2 (bad input), with a one-line error.
            ChildProcess.Result bad = submit(repo, env, "train", cluster.url(),
                    List.of("--conf", tmp.resolve("missing.conf").toString(), "--root", root.toString()));
            assertEquals(2, bad.exitCode(), bad.tail());
            assertTrue(bad.output().contains("error: config file not found"), bad.tail());
        }
    }

    private ChildProcess.Result submit(Path repo, Map<String, String> env, String stage, String master, List<String> stageArgs) {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("scripts/submit.sh").toString(), stage, "--master", master,
                "--executor-memory", "1g", "--"));
        cmd.addAll(stageArgs);
        return ChildProcess.run(cmd, repo, env, tmp.resolve("logs").resolve(stage + "-" + System.nanoTime() + ".log"),
                Duration.ofMinutes(6));
    }
}
