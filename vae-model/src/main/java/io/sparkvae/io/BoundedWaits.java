package io.sparkvae.io;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File-system access with bounded waits: the Hadoop settings that make a call to a file system that does not answer
 * give up, and the first-use probe that says what a run is waiting for.
 */
public final class BoundedWaits {
    /**
     * Hadoop settings that bound how long a call to a file system that does not answer may wait. Hadoop's defaults let
     * an HDFS client wait forever for a NameNode that accepted the connection but never answers (an RPC timeout of 0)
     * and retry a timing-out connect 45 times 20 s; with these a call gives up after about a minute
     * (docs/RELIABILITY.md). Applied where the machine's Hadoop configuration (core-site.xml) does not set the key;
     * {@code --spark-conf spark.hadoop.<key>=<value>} overrides each.
     */
    public static final Map<String, String> SETTINGS = settings();

    /** After this long without an answer from a file system's first call, say what the run is waiting for. */
    private static final long WAITING_NOTICE_MS = 5_000;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "file-system-watchdog");
        t.setDaemon(true);
        return t;
    });

    private BoundedWaits() {
    }

    private static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ipc.client.rpc-timeout.ms", "60000"); // Hadoop: 0, i.e. forever for a server that accepts and stays silent
        m.put("ipc.client.connect.timeout", "20000");
        m.put("ipc.client.connect.max.retries.on.timeouts", "2"); // Hadoop: 45 (15 minutes)
        m.put("ipc.client.connect.max.retries", "2"); // connection refused; Hadoop: 10
        m.put("fs.s3a.connection.timeout", "60000"); // Hadoop: 200 s per request
        m.put("fs.s3a.attempts.maximum", "2"); // the AWS SDK's retries per request; Hadoop: 20
        m.put("fs.s3a.retry.limit", "2"); // S3A's own retries on top of the SDK's; Hadoop: 7
        return Map.copyOf(m);
    }

    /** The {@link #SETTINGS} this machine's Hadoop configuration leaves at Hadoop's own defaults. */
    public static Map<String, String> unset() {
        Configuration site = new Configuration();
        Map<String, String> unset = new LinkedHashMap<>();
        SETTINGS.forEach((key, value) -> {
            String[] sources = site.getPropertySources(key);
            if (sources == null || Arrays.stream(sources).allMatch(source -> source.equals("core-default.xml"))) {
                unset.put(key, value);
            }
        });
        return unset;
    }

    /**
     * One call to the file system's root, with a notice on stderr while it goes unanswered: a server that accepts
     * connections and never answers would otherwise leave the user looking at nothing for the whole timeout.
     *
     * @throws FileSystemUnreachableException naming {@code p} when it cannot be reached
     */
    static void probe(FileSystem fs, Path p, Configuration conf) {
        String uri = fs.getUri().toString();
        ScheduledFuture<?> notice = WATCHDOG.schedule(() -> System.err.println("waiting for " + uri + " to answer (no answer after "
                + WAITING_NOTICE_MS / 1000 + " s; " + giveUp(fs, conf) + ")"), WAITING_NOTICE_MS, TimeUnit.MILLISECONDS);
        try {
            fs.getFileStatus(new Path(uri + "/"));
        } catch (IOException | RuntimeException e) {
            FileSystemUnreachableException unreachable = FileFailures.unreachable(p, e);
            if (unreachable != null) {
                throw unreachable;
            }
        } finally {
            notice.cancel(false);
        }
    }

    private static String giveUp(FileSystem fs, Configuration conf) {
        return switch (fs.getScheme()) {
            case "hdfs", "webhdfs" -> "gives up after " + conf.getLong("ipc.client.rpc-timeout.ms", 0) / 1000
                    + " s; --spark-conf spark.hadoop.ipc.client.rpc-timeout.ms=<ms> sets that";
            case "s3a" -> "gives up after " + conf.getLong("fs.s3a.connection.timeout", 0) / 1000
                    + " s per attempt; --spark-conf spark.hadoop.fs.s3a.connection.timeout=<ms> sets that";
            default -> "its client's timeouts apply";
        };
    }
}
