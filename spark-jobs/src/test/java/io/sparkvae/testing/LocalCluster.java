package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.sparkvae.spark.SparkSessionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark master with executors in separate JVM processes ({@code local-cluster[n,cores,mem]}), for *IT tests
 * run by failsafe after {@code package}: executors load the real job jar, as on a cluster.
 */
public final class LocalCluster {
    private LocalCluster() {}

    /** The shaded job jar and the launcher files (Spark classpath, JVM flags) that failsafe points to. */
    public static Path jobJar() {
        return existing(System.getProperty("vae.jobJar"), "job jar");
    }

    public static Path launcherDir() {
        return existing(System.getProperty("vae.launcherDir"), "launcher dir");
    }

    public static String sparkClasspath() {
        return read(launcherDir().resolve("spark-classpath.txt"));
    }

    public static String jvmOptions() {
        return read(launcherDir().resolve("jvm-options.txt"));
    }

    /** Spark settings that let executor JVMs start from the Maven classpath and run the job jar. */
    public static List<String> executorConf() {
        List<String> conf = new ArrayList<>();
        conf.add("spark.jars=" + jobJar());
        // Spark's provided-scope jars (the libraries it shares with DL4J among them) and the job jar, as on a cluster.
        conf.add("spark.executor.extraClassPath=" + sparkClasspath() + java.io.File.pathSeparator + jobJar());
        conf.add("spark.executor.extraJavaOptions=" + jvmOptions());
        return conf;
    }

    public static SparkSession start(String name, int executors, int coresEach, int memoryMb) {
        List<String> conf = new ArrayList<>(executorConf());
        conf.add(executorMemory(memoryMb));
        return SparkSessionFactory.create(master(executors, coresEach, memoryMb), "it-" + name, conf);
    }

    /** {@code local-cluster[n,cores,mem]}: a master and n workers of {@code memoryMb} each, one executor per worker. */
    public static String master(int executors, int coresEach, int memoryMb) {
        return "local-cluster[" + executors + "," + coresEach + "," + memoryMb + "]";
    }

    /**
     * The executors' heap: local-cluster's third number is only what each worker may hand out; the executors get
     * {@code spark.executor.memory}, whose default is 1 GB whatever the worker has.
     */
    static String executorMemory(int memoryMb) {
        return "spark.executor.memory=" + memoryMb + "m";
    }

    /** Stage options ({@code --master}, {@code --spark-conf}...) that run a stage on executor JVMs of {@code memoryMb} heap. */
    public static List<String> stageOptions(int executors, int coresEach, int memoryMb) {
        List<String> args = new ArrayList<>(List.of("--master", master(executors, coresEach, memoryMb)));
        List<String> conf = new ArrayList<>(executorConf());
        conf.add(executorMemory(memoryMb));
        for (String kv : conf) {
            args.add("--spark-conf");
            args.add(kv);
        }
        return args;
    }

    /**
     * The environment a child driver JVM needs to start local-cluster executors: what failsafe gives this JVM
     * (see spark-jobs/pom.xml), passed on explicitly because {@link ChildProcess#start} drops {@code SPARK_TESTING}.
     */
    public static Map<String, String> childEnv() {
        Map<String, String> env = new HashMap<>();
        for (String k : List.of("SPARK_HOME", "SPARK_TESTING", "SPARK_SCALA_VERSION")) {
            String v = System.getenv(k);
            if (v == null) {
                fail(k + " is not set: run integration tests through 'mvn verify' (failsafe sets it)");
            }
            env.put(k, v);
        }
        return env;
    }

    /** An executor JVM: Spark's executor id and the process. */
    public record Executor(String id, ProcessHandle process) {}

    /** The live executor JVMs under {@code driver} (local-cluster executors are the driver's descendants). */
    public static List<Executor> executors(ProcessHandle driver) {
        List<Executor> found = new ArrayList<>();
        driver.descendants().filter(ProcessHandle::isAlive).forEach(p -> {
            List<String> args = commandLine(p.pid());
            int id = args.indexOf("--executor-id");
            if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && id >= 0 && id + 1 < args.size()) {
                found.add(new Executor(args.get(id + 1), p));
            }
        });
        // A command an executor starts (Hadoop's shell calls) shows the executor's command line until it execs.
        java.util.Set<Long> pids = new java.util.HashSet<>();
        found.forEach(e -> pids.add(e.process().pid()));
        List<Executor> out = new ArrayList<>(found.stream()
                .filter(e -> e.process().parent().map(p -> !pids.contains(p.pid())).orElse(true)).toList());
        out.sort(java.util.Comparator.comparing(Executor::id));
        return out;
    }

    /**
     * A Linux process's arguments from {@code /proc/<pid>/cmdline} (empty once it is gone). Not
     * {@code ProcessHandle.Info.arguments()}: it reports nothing for command lines as long as an executor's classpath.
     */
    static List<String> commandLine(long pid) {
        try {
            return List.of(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"))).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Path existing(String p, String what) {
        if (p == null || !Files.exists(Path.of(p))) {
            fail(what + " not found (" + p + "): run integration tests through 'mvn verify' so the jar is built first");
        }
        return Path.of(p);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
