package io.sparkvae.spark;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.RetryableFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.network.util.JavaUtils;

/**
 * What Spark would only find out while starting (a 50-line trace) or after a minute of retries: a master URL with
 * no cores or workers, less memory than Spark's floor, a standalone master nobody answers at. Each is one line:
 * bad input (exit 2) for settings that cannot work, a {@link RetryableFailure} (exit 1) for a master that may come
 * back.
 */
public final class SparkStartChecks {
    /**
     * Spark reserves 300 MiB of every executor's and the driver's heap and refuses to start below 1.5 times that
     * ({@code UnifiedMemoryManager}: "Executor memory ... must be at least 471859200").
     */
    static final long MIN_MEMORY = 300L * 1024 * 1024 * 3 / 2;
    private static final Pattern LOCAL = Pattern.compile("local\\[\\s*([0-9]+)\\s*(?:,\\s*([0-9]+)\\s*)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private SparkStartChecks() {}

    /** Refuses a local master with no threads and a local cluster with no workers, cores or memory. */
    static void checkMasterCounts(String given, String master) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches() && Long.parseLong(local.group(1)) < 1) {
            throw new BadInputException(given + ": Spark needs at least 1 thread (local[1], local[4], or local[*] for one per core)");
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches() && (Long.parseLong(cluster.group(1)) < 1 || Long.parseLong(cluster.group(2)) < 1)) {
            throw new BadInputException(given + ": local-cluster[workers, cores per worker, MiB per worker] needs at least 1 worker"
                    + " with at least 1 core");
        }
        if (cluster.matches() && Long.parseLong(cluster.group(3)) * 1024 * 1024 < MIN_MEMORY) {
            throw new BadInputException(given + ": each worker needs at least " + MIN_MEMORY / (1024 * 1024) + " MiB (Spark's floor)");
        }
    }

    /** Refuses {@code spark.executor.memory} below what Spark starts an executor with. */
    static void checkMemorySetting(String key, String value) {
        if (!key.equals("spark.executor.memory")) {
            return;
        }
        long bytes = JavaUtils.byteStringAsBytes(/* Spark reads a bare number as MiB here */ value.matches("[0-9]+") ? value + "m" : value);
        if (bytes < MIN_MEMORY) {
            throw new BadInputException("--spark-conf " + key + "=" + value + ": Spark needs at least " + MIN_MEMORY / (1024 * 1024)
                    + "m per executor (it keeps 300 MiB of each executor's heap for itself)");
        }
    }

    /** Refuses a driver JVM whose heap is below what Spark starts with. */
    static void checkDriverHeap(long maxHeap) {
        if (maxHeap < MIN_MEMORY) {
            throw new BadInputException(String.format(Locale.ROOT, "the driver's heap is %d MiB, but Spark needs at least %d MiB: give"
                    + " the driver more memory (scripts/vae: VAE_DRIVER_MEMORY; spark-submit: --driver-memory)",
                    maxHeap / (1024 * 1024), MIN_MEMORY / (1024 * 1024)));
        }
    }

    /**
     * A standalone master ({@code spark://host:port}, or several for high availability) that no one answers at is
     * refused now, naming it: Spark itself retries for a minute and then fails the first job with "Cannot call methods
     * on a stopped SparkContext". A master that answers at one of its addresses passes.
     */
    static void requireStandaloneMasterReachable(String master) {
        if (master == null || !master.startsWith("spark://")) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1))), CONNECT_TIMEOUT_MS);
                return;
            } catch (ConnectException e) {
                problems.add(hostPort + ": connection refused");
            } catch (SocketTimeoutException e) {
                problems.add(hostPort + ": no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s");
            } catch (UnknownHostException e) {
                problems.add(hostPort + ": unknown host " + host);
            } catch (IOException | IllegalArgumentException e) {
                problems.add(hostPort + ": " + e.getMessage());
            }
        }
        throw new RetryableFailure("cannot reach the Spark master " + master + " (" + String.join("; ", problems)
                + "): is it running, and is this its address?");
    }
}
