package io.sparkvae.job;

import io.sparkvae.spark.SparkSessionFactory;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark application a command runs in, created on the first stage's demand and stopped on close. A stage run
 * alone gets its own; {@code vae pipeline} and {@code vae experiment} create one and hand it to every stage they run,
 * so all stages share one application (and a stage that needs no Spark, e.g. one that skips, starts none).
 *
 * <p>Called where a Spark session is already running (spark-shell, a notebook, a test suite), the stages use that
 * session and leave it running: it belongs to whoever started it.
 */
public final class SparkSessions implements AutoCloseable {
    private final String master;
    private final List<String> sparkConf;
    private final String command;
    private SparkSession session;
    /** True when {@link #session} was running before this application needed it, so it is not ours to stop. */
    private boolean borrowed;

    /**
     * @param command the command the application runs ({@code train}, {@code pipeline}, ...): the Spark UI shows
     *                the application as {@code vae-<command>-<run>}
     */
    public SparkSessions(String command, String master, List<String> sparkConf) {
        this.command = command;
        this.master = master;
        this.sparkConf = List.copyOf(sparkConf);
    }

    /** For {@code command} run with {@code options}. */
    public static SparkSessions forCommand(String command, JobOptions options) {
        return new SparkSessions(command, options.master(), options.sparkConf());
    }

    /** The session, created now (named after the command and {@code run}) if no stage has needed it yet. */
    public synchronized SparkSession get(String run) {
        if (session == null) {
            var running = SparkSession.getDefaultSession();
            borrowed = running.isDefined() && !running.get().sparkContext().isStopped();
            session = borrowed ? running.get() : SparkSessionFactory.create(master, "vae-" + command + "-" + run, sparkConf);
        }
        return session;
    }

    /** True once a stage has started the application. */
    public synchronized boolean started() {
        return session != null;
    }

    @Override
    public synchronized void close() {
        if (session != null && !borrowed) {
            awaitRunningTasks(session.sparkContext());
            session.stop();
        }
        session = null;
    }

    /** How long stopping waits for tasks still running (a failed job's). */
    private static final long TASK_PATIENCE_MS = 10_000;

    /**
     * When a task fails, Spark aborts its job but lets the job's other running tasks run to their end; stopping Spark
     * under them makes each log a trace (its broadcast blocks are gone) after the stage's error line. Waits for them,
     * briefly: a task that outlives the patience is stopped under as before.
     */
    private static void awaitRunningTasks(org.apache.spark.SparkContext sc) {
        sc.cancelAllJobs();
        long deadline = System.nanoTime() + TASK_PATIENCE_MS * 1_000_000;
        while (System.nanoTime() < deadline
                && java.util.Arrays.stream(sc.statusTracker().getExecutorInfos()).anyMatch(e -> e.numRunningTasks() > 0)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
