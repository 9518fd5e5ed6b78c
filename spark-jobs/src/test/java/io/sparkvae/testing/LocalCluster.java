package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.sparkvae.spark.SparkSessionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        // Spark's provided-scope jars lack what we also use at compile scope (commons-lang3...): the job jar has those,
        // as a Spark distribution would on a real cluster.
        conf.add("spark.executor.extraClassPath=" + sparkClasspath() + java.io.File.pathSeparator + jobJar());
        conf.add("spark.executor.extraJavaOptions=" + jvmOptions());
        return conf;
    }

    public static SparkSession start(String name, int executors, int coresEach, int memoryMb) {
        String master = "local-cluster[" + executors + "," + coresEach + "," + memoryMb + "]";
        return SparkSessionFactory.create(master, "it-" + name, executorConf());
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
