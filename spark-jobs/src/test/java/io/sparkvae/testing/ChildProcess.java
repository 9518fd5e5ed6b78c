package io.sparkvae.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Child processes for *IT tests (scripts, spark-submit, Spark daemons, Snakemake): output to a log file, a hard
 * time limit, and the whole process tree killed afterwards, whatever happens.
 */
public final class ChildProcess {
    private ChildProcess() {}

    /** What a finished command returned and printed (stdout and stderr, interleaved). */
    public record Result(int exitCode, String output, Path log, double seconds) {
        /** The last lines of the output, for assertion messages. */
        public String tail() {
            String[] lines = output.split("\n");
            int from = Math.max(0, lines.length - 60);
            return String.join("\n", List.of(lines).subList(from, lines.length));
        }

        public long count(String needle) {
            return output.lines().filter(l -> l.contains(needle)).count();
        }

        /** Spark applications the command started, by SparkContext's first INFO line (needs INFO logging). */
        public long sparkApplicationsStarted() {
            return count("Running Spark version");
        }
    }

    /** The repository root (tests run in spark-jobs/). */
    public static Path repo() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /** Starts a command with its output appended to {@code log}; the caller must {@link #kill} it. */
    public static Process start(List<String> command, Path dir, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Failsafe's local-cluster settings must not leak into processes that stand for a real installation.
        pb.environment().remove("SPARK_TESTING");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            Files.createDirectories(log.getParent());
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs a command to its end; fails the test (after killing the process tree) when it outlives {@code timeout}. */
    public static Result run(List<String> command, Path dir, Map<String, String> env, Path log, Duration timeout) {
        long t0 = System.nanoTime();
        Process p = start(command, dir, env, log);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                fail(command.get(0) + " did not finish within " + timeout + "; output:\n" + tailOf(log));
            }
            return new Result(p.exitValue(), read(log), log, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            kill(p);
        }
    }

    /**
     * Waits until {@code condition} holds, polling; fails the test (naming {@code what}, with the output's tail) when
     * {@code p} exits first or {@code timeout} passes. The caller still owns {@code p}.
     */
    public static void await(Process p, Path log, String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                fail("exited with " + p.exitValue() + " before " + what + ":\n" + tailOf(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " after " + timeout + ":\n" + tailOf(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Kills a process and every descendant (children first: executors, JVMs started by scripts). */
    public static void kill(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * A command line that starts {@code mainClass} in a fresh JVM with this test JVM's classpath and Java 17 module
     * openings, plus {@code jvmArgs}.
     */
    public static List<String> javaCommand(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** {@code PATH} lookup; null when absent. */
    public static Path which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    public static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String tailOf(Path log) {
        return new Result(-1, read(log), log, 0).tail();
    }
}
