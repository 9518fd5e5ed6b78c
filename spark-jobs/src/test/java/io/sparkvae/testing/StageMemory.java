package io.sparkvae.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a stage command ({@code scripts/vae <stage> ...} with {@code local-cluster} executors) as a child process and
 * measures the peak memory of its driver JVM and of its executor JVMs, two ways:
 * <ul>
 *   <li>heap: the largest used heap Spark itself sampled ({@code JVMHeapMemory} of its executor metrics, polled every
 *       100 ms, from the application's event log), which includes garbage not yet collected;</li>
 *   <li>RSS: the processes' resident-set high-water mark ({@code VmHWM} in {@code /proc/<pid>/status}), which also
 *       counts what the heap does not: ND4J's native buffers, thread stacks, metaspace, the JIT.</li>
 * </ul>
 */
public final class StageMemory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageMemory() {}

    /**
     * What a measured run returned, in MiB (0 where nothing was measured, e.g. an executor that never started), with
     * how many executor JVMs it had and the heap flags they were started with (what Spark really gave them).
     */
    public record Peaks(ChildProcess.Result result, long driverHeapMb, long executorHeapMb, long driverRssMb,
                        long executorRssMb, int executors, Set<String> executorHeapFlags) {}

    /** The Spark settings that make the run log its executors' memory (appended to the stage command). */
    public static List<String> eventLogOptions(Path eventLogDir) {
        List<String> kv = List.of("spark.eventLog.enabled=true", "spark.eventLog.dir=" + eventLogDir.toUri(),
                "spark.eventLog.logStageExecutorMetrics=true", "spark.executor.metrics.pollingInterval=100ms");
        List<String> args = new ArrayList<>();
        for (String s : kv) {
            args.add("--spark-conf");
            args.add(s);
        }
        return args;
    }

    /** Runs {@code command} (a stage command line, to which the event-log options are added) and measures it. */
    public static Peaks run(List<String> command, Map<String, String> env, Path workDir, String name, Duration timeout) {
        Path events = workDir.resolve("events-" + name);
        Path log = workDir.resolve(name + ".log");
        try {
            Files.createDirectories(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(eventLogOptions(events));
        long t0 = System.nanoTime();
        Process p = ChildProcess.start(cmd, ChildProcess.repo(), env, log);
        Map<Long, Long> driverRss = new ConcurrentHashMap<>();
        Map<String, Long> executorRss = new ConcurrentHashMap<>(); // by executor id
        Set<String> heapFlags = new TreeSet<>();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            // VmHWM only grows, so the last reading before a process exits is its peak.
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                driverRss.merge(p.pid(), highWaterMarkKb(p.pid()), Math::max);
                for (LocalCluster.Executor e : LocalCluster.executors(p.toHandle())) {
                    executorRss.merge(e.id(), highWaterMarkKb(e.process().pid()), Math::max);
                    LocalCluster.commandLine(e.process().pid()).stream().filter(a -> a.startsWith("-Xmx")).forEach(heapFlags::add);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " did not finish within " + timeout + ":\n" + ChildProcess.tailOf(log));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            ChildProcess.kill(p);
        }
        ChildProcess.Result result = new ChildProcess.Result(p.exitValue(), ChildProcess.read(log), log, (System.nanoTime() - t0) / 1e9);
        Map<String, Long> heap = heapPeaks(events);
        long executorHeap = heap.entrySet().stream().filter(e -> !e.getKey().equals("driver"))
                .mapToLong(Map.Entry::getValue).max().orElse(0);
        return new Peaks(result, mb(heap.getOrDefault("driver", 0L)), mb(executorHeap),
                driverRss.values().stream().mapToLong(v -> v).max().orElse(0) / 1024,
                executorRss.values().stream().mapToLong(v -> v).max().orElse(0) / 1024, executorRss.size(), heapFlags);
    }

    /** Peak {@code JVMHeapMemory} in bytes per executor id ("driver" for the driver) over a folder of event logs. */
    static Map<String, Long> heapPeaks(Path eventLogDir) {
        Map<String, Long> peaks = new ConcurrentHashMap<>();
        try (Stream<Path> logs = Files.list(eventLogDir)) {
            for (Path f : logs.toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    lines.filter(l -> l.contains("\"Executor Metrics\"")).forEach(l -> {
                        JsonNode e = parse(l);
                        long heap = e.path("Executor Metrics").path("JVMHeapMemory").asLong(0);
                        String id = e.has("Executor ID") ? e.get("Executor ID").asText() : "driver";
                        peaks.merge(id, heap, Math::max);
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event logs in " + eventLogDir, e);
        }
        return peaks;
    }

    /** {@code VmHWM} of a live process in KiB; 0 once it is gone. */
    static long highWaterMarkKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process just exited: nothing more to read
        }
        return 0;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("bad event log line: " + line, e);
        }
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
