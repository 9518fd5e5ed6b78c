package io.sparkvae.spark;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sizes OpenBLAS's threads and ND4J's master threads to the cores a Spark task owns ({@code spark.task.cpus}). Without
 * it every task of an executor uses all the machine's cores at once, and two workers on two cores run four BLAS threads
 * that evict each other. The pools are process-wide, so this is set once per executor JVM (all its tasks own the same
 * number of cores). ND4J's loop pool cannot be resized once loaded: executors get {@code OMP_NUM_THREADS} for it
 * ({@link SparkSessionFactory}).
 */
public final class TaskThreads {
    private static volatile int configured;

    private TaskThreads() {}

    /** Call from inside a task before heavy ND4J work; a no-op outside tasks or once set. */
    public static void fitToTask() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return;
        }
        int cpus = Math.max(1, task.cpus());
        if (configured != cpus) {
            synchronized (TaskThreads.class) {
                if (configured != cpus) {
                    setThreads(cpus);
                    configured = cpus;
                }
            }
        }
    }

    /** Sets both (used by benchmarks to give a single-process run the whole machine back). */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
