package io.sparkvae.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real standalone Spark cluster on loopback: a Master and a Worker started from their main classes as child
 * JVMs, with a stand-in Spark installation ({@code SPARK_HOME} holding {@code RELEASE} and {@code jars/}: Spark's
 * jars from the Maven build), so the Worker launches executor JVMs exactly as on a real cluster and the job jar
 * reaches them through spark-submit. {@link #close()} kills the daemons and their executors.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final Path sparkHome;
    private final int port;
    private final Map<String, String> daemonEnv;
    private final List<Process> daemons = new ArrayList<>();

    private StandaloneCluster(Path dir, Path sparkHome, int port, Map<String, String> daemonEnv) {
        this.dir = dir;
        this.sparkHome = sparkHome;
        this.port = port;
        this.daemonEnv = daemonEnv;
    }

    /** Starts a Master and one Worker with {@code cores} cores and {@code memory} (e.g. "3g") for executors. */
    public static StandaloneCluster start(Path dir, int cores, String memory) {
        return start(dir, cores, memory, Map.of());
    }

    /**
     * The same, the daemons (and so the executors) running with {@code extraEnv} besides, e.g. the cluster's
     * {@code HADOOP_CONF_DIR} as a Spark installation's spark-env.sh sets it.
     */
    public static StandaloneCluster start(Path dir, int cores, String memory, Map<String, String> extraEnv) {
        StandaloneCluster cluster = new StandaloneCluster(dir, makeSparkHome(dir.resolve("spark-home")), freePort(), extraEnv);
        try {
            cluster.startDaemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(cluster.port), "--webui-port", "0"), "I have been elected leader");
            cluster.startDaemon("worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(cores), "--memory", memory, "--webui-port", "0",
                    "--work-dir", dir.resolve("work").toString(), cluster.url()), "Successfully registered with master");
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public String url() {
        return "spark://127.0.0.1:" + port;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** The Worker's per-application folders (each holds the executors' stdout/stderr). */
    public List<Path> applicationDirs() {
        try (var s = Files.list(dir.resolve("work"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("app-")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The environment every cluster process (daemons, spark-submit) runs with. */
    public Map<String, String> env() {
        return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_SCALA_VERSION", "2.12");
    }

    private void startDaemon(String name, List<String> mainAndArgs, String readyLine) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
        cmd.addAll(List.of(LocalCluster.jvmOptions().split("\\s+")));
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        Path log = dir.resolve(name + ".log");
        Map<String, String> env = new HashMap<>(env());
        env.putAll(daemonEnv);
        Process p = ChildProcess.start(cmd, dir, env, log);
        daemons.add(p);
        ChildProcess.await(p, log, "Spark " + name + " ready", () -> ChildProcess.read(log).contains(readyLine),
                Duration.ofSeconds(90));
    }

    /** Worker first (it takes its executors down), then the Master; every descendant is killed too. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            ChildProcess.kill(daemons.get(i));
        }
        daemons.clear();
    }

    private static Path makeSparkHome(Path home) {
        try {
            Path jars = Files.createDirectories(home.resolve("jars"));
            Files.writeString(home.resolve("RELEASE"), "Spark stand-in for tests: jars/ links the Maven build's Spark jars\n");
            // Spark's provided-scope jars are a whole Spark runtime: the job jar leaves what Spark ships to Spark.
            for (String e : LocalCluster.sparkClasspath().strip().split(File.pathSeparator)) {
                Path jar = Path.of(e);
                Path link = jars.resolve(jar.getFileName());
                if (e.endsWith(".jar") && !Files.exists(link)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a Spark home in " + home, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
