package io.sparkvae.cluster;

import io.sparkvae.layout.StageDescriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.cli.VaeMain;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.Json;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.testing.ChildProcess;
import io.sparkvae.testing.MiniHadoop;
import io.sparkvae.testing.StageOutputs;
import io.sparkvae.testing.TestData;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * YARN for real (issue 18): Hadoop's MiniYARNCluster (ResourceManager with the CapacityScheduler, a NodeManager that
 * starts every container as its own JVM) and MiniDFSCluster, the data and config on HDFS, and the whole pipeline
 * submitted with {@code scripts/submit.sh pipeline --master yarn} exactly as docs/OPERATIONS.md's YARN section says,
 * in client and in cluster mode, with two executors. Both land on HDFS with the numbers of a {@code local[2]} run of
 * the same config and seed (to {@link #LOCAL_TOLERANCE}: float32 arithmetic on other threads and JVMs), and with each
 * other's to the last digit. A third run has one executor container preempted by the scheduler in the middle of an
 * epoch and must end exactly as the undisturbed YARN runs did. The client run's event log goes to HDFS, and Spark's
 * History Server ({@code scripts/history-server.sh}) reads it back with every job named after the pipeline's step.
 * The client run is made once, by whichever test needs it first, so every test also runs alone and in any order.
 */
@Tag("spark")
@Tag("slow")
class YarnPipelineIT {
    /**
     * Relative difference allowed between YARN's numbers and local[2]'s. Measured: 2.5e-9 (final train -ELBO),
     * 1.5e-8 (validation), 1.4e-9 (test -ELBO), 1.9e-9 (IS): the float32 model's sums in another order. Between YARN
     * runs (client, cluster, preempted) the numbers are identical.
     */
    private static final double LOCAL_TOLERANCE = 1e-6;
    private static final String JARS = "/apps/spark-vae/jars";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);
    /**
     * The whole pipeline in a few minutes: 1,000 punks per split, hidden layer of 32, two epochs, each of five
     * averaging rounds (two workers, one minibatch of 100 each per round), so an epoch lasts long enough on YARN
     * for the scheduler to preempt an executor inside it.
     */
    private static final String CONF = """
            data { dataset = punks, limit = 1000, partitions = 2 }
            model { latent = 2, hidden = [32] }
            train { epochs = 2, workers = 2, averaging-frequency = 1, learning-rate-scaling = linear }
            evaluate { is-samples = 10 }
            render { manifold-grid = 5, reconstructions = 10, samples = 10 }
            """;

    @TempDir
    static Path tmp;

    private static MiniHadoop hadoop;
    private static Path repo;
    /** The numbers of the local[2] run every YARN run must reproduce. */
    private static Map<String, Double> local;
    /** The client-mode YARN run, which the other YARN runs must reproduce exactly (see {@link #clientRun()}). */
    private static ClientRun client;

    /** The client-mode pipeline's outcome and its YARN application (null when it failed before one finished). */
    private record ClientRun(ChildProcess.Result result, ApplicationId app) {}

    @BeforeAll
    static void startClusterAndRunLocally() throws Exception {
        repo = ChildProcess.repo();
        long t0 = System.nanoTime();
        hadoop = MiniHadoop.start(tmp.resolve("hadoop"), 6144, 4);
        FileSystem fs = hadoop.fileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestData.rawDir().resolve("punks/punks.png").toString()),
                new org.apache.hadoop.fs.Path("/vae/raw/punks/punks.png"));
        try (var out = fs.create(new org.apache.hadoop.fs.Path("/vae/conf/yarn-smoke.conf"))) {
            out.write(CONF.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        System.out.printf("yarn: HDFS and YARN up in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        // Once per Spark version, as an administrator would (docs/OPERATIONS.md).
        ChildProcess.Result put = ChildProcess.run(List.of(script("submit.sh"), "--put-spark-jars", "hdfs://" + JARS),
                repo, hadoop.clientEnv(), tmp.resolve("logs/put-spark-jars.log"), RUN_LIMIT);
        assertEquals(0, put.exitCode(), put.tail());
        System.out.printf("yarn: Spark jars on HDFS in %.1f s%n", put.seconds());

        // The reference: the same config and seed on local[2], in this JVM, also on HDFS.
        long t1 = System.nanoTime();
        String nn = hadoop.hdfs();
        assertEquals(0, VaeMain.run("pipeline", "--conf", nn + "/vae/conf/yarn-smoke.conf", "--root", nn + root("local"),
                "--master", "local[2]", "--set", "data.raw=\"" + nn + "/vae/raw\"", "--set", "run.name=local"));
        local = numbers("local");
        System.out.printf("yarn: local[2] reference pipeline in %.1f s: %s%n", (System.nanoTime() - t1) / 1e9, local);
    }

    @AfterAll
    static void stopCluster() {
        if (hadoop != null) {
            hadoop.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void clientModeRunsThePipelineOnYarnWithTheLocalNumbersAndKeepsItsHistory() throws Exception {
        ChildProcess.Result r = clientRun().result();
        assertEquals(0, r.exitCode(), r.tail());
        assertTrue(r.output().contains("pipeline: all " + io.sparkvae.layout.StageDescriptor.pipeline().size() + " stages complete"), r.tail());
        ApplicationId app = clientRun().app();
        assertEquals(FinalApplicationStatus.SUCCEEDED, hadoop.finalStatus(app), "YARN's verdict on " + app);
        assertOutputs("client");
        Map<String, Double> client = numbers("client");
        report("client", client);
        for (var e : local.entrySet()) {
            assertEquals(e.getValue(), client.get(e.getKey()), LOCAL_TOLERANCE * Math.abs(e.getValue()), "client " + e.getKey() + " vs local[2]");
        }
        assertEvents("client");
        assertHistoryServerShowsNamedJobs("client");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void clusterModeRunsTheDriverInAContainerWithTheClientRunsNumbers() throws Exception {
        Map<String, Double> reference = clientNumbers();
        ChildProcess.Result r = submit("pipeline", "cluster", "cluster", List.of());
        System.out.printf("yarn: cluster-mode pipeline in %.1f s%n", r.seconds());
        assertEquals(0, r.exitCode(), r.tail());
        ApplicationId app = last(hadoop.finishedApplications());
        assertEquals(FinalApplicationStatus.SUCCEEDED, hadoop.finalStatus(app), "YARN's verdict on " + app);
        // The driver ran in the application master's container: its console is that container's stdout.
        String driver = hadoop.applicationMasterLog(app, "stdout");
        assertTrue(driver.contains("pipeline: all " + io.sparkvae.layout.StageDescriptor.pipeline().size() + " stages complete"), "driver's stdout in the AM container:\n" + driver);
        assertOutputs("cluster");
        Map<String, Double> cluster = numbers("cluster");
        report("cluster", cluster);
        assertEquals(reference, cluster, "cluster-mode numbers vs client mode's");
        assertEvents("cluster");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void anExecutorPreemptedMidEpochIsReplacedAndTrainingEndsAsUndisturbed() throws Exception {
        Map<String, Double> reference = clientNumbers();
        Path log = tmp.resolve("logs/preempted.log");
        // Trains on the reference run's dataset, under its root.
        Process p = ChildProcess.start(command("train", "client", "preempted", "local", List.of()), repo, env(), log);
        ContainerId victim;
        try {
            // The first epoch's line: the second epoch's rounds start right after it.
            ChildProcess.await(p, log, "epoch 1", () -> ChildProcess.read(log).contains("epoch 1/2"), RUN_LIMIT);
            ApplicationId app = hadoop.runningApplication(Duration.ofSeconds(30));
            assertNotNull(app, "no running application");
            List<ContainerId> executors = hadoop.executorContainers(app);
            assertEquals(2, executors.size(), "executor containers: " + executors);
            victim = executors.get(0);
            hadoop.preempt(app, victim);
            assertFalse(ChildProcess.read(log).contains("epoch 2/2"), "preempted only after the second epoch ended");
            assertTrue(p.waitFor(RUN_LIMIT.toMinutes(), TimeUnit.MINUTES), "train did not finish:\n" + ChildProcess.tailOf(log));
        } finally {
            ChildProcess.kill(p);
        }
        String out = ChildProcess.read(log);
        assertEquals(0, p.exitValue(), ChildProcess.tailOf(log));
        // Spark's YARN allocator names the preemption; the stage says so in its one line, inside epoch 2.
        List<String> lines = out.lines().toList();
        int lost = indexOf(lines, l -> l.startsWith("train: executor ") && l.contains(victim + " on host") && l.contains("was preempted"));
        assertTrue(lost >= 0, "no executor-loss line naming " + victim + ":\n" + ChildProcess.tailOf(log));
        assertTrue(indexOf(lines, l -> l.startsWith("epoch 1/2")) < lost, "the loss came after epoch 1:\n" + ChildProcess.tailOf(log));
        Map<String, Double> trained = numbers("local", "preempted");
        report("preempted", trained);
        for (String key : List.of("train_neg_elbo", "val_neg_elbo")) {
            assertEquals(reference.get(key), trained.get(key), key + " after the preemption vs the undisturbed YARN run");
        }
    }

    /** Each pipeline run has its own root, so each prepares its own dataset. */
    private static String root(String name) {
        return "/vae/roots/" + name;
    }

    /**
     * events.jsonl on HDFS, where one writer appends at a time: stages of one run appending at the same moment each
     * wait their turn, and a writer that died holding the file (its lease) with half a line written is taken over.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hdfsAppendsKeepEveryLineWholeUnderConcurrencyAndAfterAKilledWriter() throws Exception {
        HadoopFiles files = HadoopFiles.withDefaults();
        org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(hadoop.hdfs() + "/appends/events.jsonl");
        int writers = 4;
        int lines = 15;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int who = w;
                done.add(pool.submit(() -> {
                    boolean all = true;
                    for (int i = 0; i < lines; i++) {
                        all &= files.appendLine(log, "{\"writer\":" + who + ",\"line\":" + i + "}", Duration.ofSeconds(60));
                    }
                    return all;
                }));
            }
            for (var f : done) {
                assertTrue(f.get(), "an append gave up");
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> written = files.readString(log).lines().toList();
        assertEquals(writers * lines, written.size());
        assertEquals(writers * lines, written.stream().map(YarnPipelineIT::read).map(JsonNode::toString).distinct().count());

        // Another client (as another process would be) appends half a line, flushes it and dies holding the lease.
        FileSystem other = FileSystem.newInstance(URI.create(hadoop.hdfs()), hadoop.fileSystem().getConf());
        var abandoned = other.append(log);
        abandoned.write("{\"writer\":\"kil".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        abandoned.hflush();
        long t0 = System.nanoTime();
        assertTrue(files.appendLine(log, "{\"writer\":\"after\"}", Duration.ofSeconds(90)), "the dead writer's lease was not recovered");
        System.out.printf("yarn: HDFS append after a dead writer's lease in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<String> after = files.readString(log).lines().toList();
        assertEquals("{\"writer\":\"after\"}", after.get(after.size() - 1), "the new line stands on its own");
        assertEquals(writers * lines + 2, after.size(), "the fragment on a line of its own: " + after.subList(writers * lines, after.size()));
        try {
            other.close(); // its stream lost the file with the lease
        } catch (java.io.IOException expected) {
            // "lease expired" or similar: the file is no longer this client's
        }
    }

    private static ChildProcess.Result submit(String stage, String mode, String run, List<String> extra) {
        return ChildProcess.run(command(stage, mode, run, run, extra), repo, env(), tmp.resolve("logs/" + run + ".log"), RUN_LIMIT);
    }

    /** docs/OPERATIONS.md's YARN command, with container sizes for this small cluster and the small config. */
    private static List<String> command(String stage, String mode, String run, String rootName, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(script("submit.sh"), stage, "--master", "yarn", "--deploy-mode", mode,
                "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "1g", "--driver-memory", "1g",
                "--conf", "spark.yarn.am.memory=512m", "--conf", "spark.yarn.jars=hdfs://" + JARS + "/*.jar",
                // Loopback only, as the client (MiniHadoop.clientEnv): the AM passes it on to the executors.
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "--",
                "--conf", "hdfs:///vae/conf/yarn-smoke.conf", "--root", "hdfs://" + root(rootName), "--set", "data.raw=\"hdfs:///vae/raw\"",
                "--set", "run.name=" + run));
        cmd.addAll(extra);
        return cmd;
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(hadoop.clientEnv());
        env.put("VAE_SPARK_SUBMIT", "java"); // no Spark distribution: Spark's own SparkSubmit with the build's jars
        return env;
    }

    private static String script(String name) {
        return repo.resolve("scripts").resolve(name).toString();
    }

    private static StageOutputs outputs(String rootName) {
        return new StageOutputs(HadoopFiles.withDefaults(), new org.apache.hadoop.fs.Path(hadoop.hdfs() + root(rootName)));
    }

    private static void assertOutputs(String run) {
        StageOutputs out = outputs(run);
        out.assertPrepared("punks-limit1000", 1000);
        out.assertTrained(run, 2);
        out.assertEvaluated(run, 1000);
        out.assertEncoded(run, "test", 1000);
        out.assertRendered(run);
        out.assertGenerated(run);
        out.assertExported(run);
        out.assertNoLeftovers();
    }

    private static Map<String, Double> numbers(String run) {
        return numbers(run, run);
    }

    /** The final training and test numbers of a run, from its files on HDFS. */
    private static Map<String, Double> numbers(String rootName, String run) {
        HadoopFiles files = HadoopFiles.withDefaults();
        StageOutputs out = outputs(rootName);
        org.apache.hadoop.fs.Path dir = out.runDir(run);
        List<String> epochs = files.readString(new org.apache.hadoop.fs.Path(dir, "metrics.jsonl")).lines().filter(l -> !l.isBlank()).toList();
        JsonNode last = read(epochs.get(epochs.size() - 1));
        Map<String, Double> n = new LinkedHashMap<>();
        n.put("train_neg_elbo", last.path("train_neg_elbo").asDouble());
        n.put("val_neg_elbo", last.path("val_neg_elbo").asDouble());
        org.apache.hadoop.fs.Path metrics = new org.apache.hadoop.fs.Path(dir, "eval/metrics.json");
        if (files.exists(metrics)) {
            JsonNode m = read(files.readString(metrics));
            n.put("test_neg_elbo", m.path("test_neg_elbo").asDouble());
            n.put("test_log_likelihood_is", m.path("test_log_likelihood_is").asDouble());
        }
        return n;
    }

    private static void report(String run, Map<String, Double> numbers) {
        StringBuilder diff = new StringBuilder();
        numbers.forEach((k, v) -> diff.append(String.format(java.util.Locale.ROOT, " %s %.2e", k, Math.abs(v - local.get(k)) / Math.abs(local.get(k)))));
        System.out.printf("yarn: %s numbers %s; relative difference to local[2]:%s%n", run, numbers, diff);
    }

    /** The client-mode pipeline with its event log on HDFS, run once by whichever test needs it first. */
    private static synchronized ClientRun clientRun() {
        if (client == null) {
            ChildProcess.Result r = submit("pipeline", "client", "client", List.of("--event-log", "hdfs:///vae/spark-events"));
            System.out.printf("yarn: client-mode pipeline in %.1f s%n", r.seconds());
            client = new ClientRun(r, r.exitCode() == 0 ? last(hadoop.finishedApplications()) : null);
        }
        return client;
    }

    /** The client-mode run's numbers, which the other YARN runs must reproduce exactly. */
    private static Map<String, Double> clientNumbers() {
        ChildProcess.Result r = clientRun().result();
        assertEquals(0, r.exitCode(), "the client-mode run failed: " + r.tail());
        return numbers("client");
    }

    /** events.jsonl: each stage's start and its end, ok, with its key numbers. */
    private static void assertEvents(String run) {
        HadoopFiles files = HadoopFiles.withDefaults();
        List<JsonNode> events = files.readString(new org.apache.hadoop.fs.Path(outputs(run).runDir(run), "events.jsonl"))
                .lines().map(YarnPipelineIT::read).toList();
        List<String> seen = events.stream().map(e -> e.path("event").asText() + " " + e.path("stage").asText()).toList();
        List<String> expected = new ArrayList<>();
        for (String stage : StageDescriptor.pipeline().stream().map(StageDescriptor::commandName).toList()) {
            expected.add("started " + stage);
            expected.add("finished " + stage);
        }
        assertEquals(expected, seen, "events of " + run);
        for (JsonNode e : events) {
            assertEquals(run, e.path("run").asText());
            if (e.path("event").asText().equals("finished")) {
                assertEquals("ok", e.path("outcome").asText(), e.toString());
                // export reads only the model and the dataset's manifest: it runs no Spark job.
                if (!e.path("stage").asText().equals("export")) {
                    assertTrue(e.path("spark_application").asText().startsWith("application_"), e.toString());
                }
            }
        }
        JsonNode evaluate = events.get(5);
        assertEquals(numbers(run).get("test_neg_elbo"), evaluate.path("numbers").path("test_neg_elbo").asDouble(), "events line vs metrics.json");
    }

    /** Spark's History Server, started the documented way on the event log folder, lists the run's jobs by name. */
    private static void assertHistoryServerShowsNamedJobs(String run) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = tmp.resolve("logs/history-server.log");
        Process server = ChildProcess.start(List.of(script("history-server.sh"), "hdfs:///vae/spark-events", String.valueOf(port)),
                repo, hadoop.clientEnv(), log);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/api/v1/applications";
            JsonNode apps = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (apps == null || apps.isEmpty()) {
                assertTrue(server.isAlive() && System.nanoTime() < deadline, "History Server:\n" + ChildProcess.tailOf(log));
                Thread.sleep(1000);
                try {
                    apps = read(http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body());
                } catch (java.io.IOException e) {
                    apps = null; // not listening yet
                }
            }
            JsonNode app = apps.get(0);
            assertEquals("vae-pipeline-" + run, app.path("name").asText(), apps.toString());
            JsonNode jobs = read(http.send(HttpRequest.newBuilder(URI.create(base + "/" + app.path("id").asText() + "/jobs")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> descriptions = new ArrayList<>();
            jobs.forEach(j -> descriptions.add(j.path("description").asText()));
            for (String expected : List.of("prepare punks-limit1000: write the sprite-sheet splits",
                    "train " + run + ": epoch 1/2: validation -ELBO", "evaluate " + run + ": importance sampling K=10 on 1000 test examples")) {
                assertTrue(descriptions.contains(expected), "no job '" + expected + "' among " + descriptions);
            }
            // Epoch 2 runs as one job when its workers average among themselves, else a job per averaging round.
            List<String> epoch2 = List.of("train " + run + ": epoch 2/2, 5 averaging rounds among 2 workers",
                    "train " + run + ": epoch 2/2, averaging round 5/5");
            assertTrue(descriptions.stream().anyMatch(epoch2::contains), "no job of " + epoch2 + " among " + descriptions);
            List<String> groups = StageDescriptor.pipeline().stream().map(StageDescriptor::commandName).toList().stream().map(s -> s + " " + (s.equals("prepare") ? "punks-limit1000" : run)).toList();
            jobs.forEach(j -> assertTrue(groups.contains(j.path("jobGroup").asText()), "a job outside the stages' groups: " + j));
        } finally {
            ChildProcess.kill(server);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ApplicationId last(List<ApplicationId> apps) {
        assertTrue(!apps.isEmpty(), "no finished application");
        return apps.get(apps.size() - 1);
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
