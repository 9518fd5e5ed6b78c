package io.sparkvae.job;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * Says in one stage-log line when Spark loses an executor while a stage runs, e.g.
 * {@code train: executor 1 lost (Command exited with code 137); Spark re-runs its tasks}. Spark itself recovers
 * (failed tasks are retried up to {@code spark.task.maxFailures} times, on the other executors or a replacement),
 * but its own report is a dozen WARN/ERROR lines; this is the line a user reads.
 */
public final class ExecutorLossLog extends SparkListener {
    private final String stage;

    public ExecutorLossLog(String stage) {
        this.stage = stage;
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        String reason = removed.reason() == null ? "no reason given" : removed.reason().replaceAll("\\s+", " ").strip();
        // Dynamic allocation releasing an idle executor is not a loss.
        if (reason.startsWith("Executor killed by driver")) {
            return;
        }
        StageLog.info(line(stage, removed.executorId(), reason));
    }

    static String line(String stage, String executorId, String reason) {
        return stage + ": executor " + executorId + " lost (" + reason + "); Spark re-runs its tasks";
    }
}
