package io.sparkvae.spark;

import org.apache.spark.SparkContext;

/**
 * Names the Spark jobs a stage starts, so the Spark UI and the History Server read like the pipeline: every job of a
 * stage carries its job group ({@code train mnist-z20}) and a description saying what it does
 * ({@code train mnist-z20: epoch 7/30, averaging round 12/25}).
 *
 * <p>Spark keeps both as local properties of the thread that starts the jobs (inherited by threads it creates), so a
 * label holds for every job started inside its scope, including those started by libraries (Spark SQL).
 * Scopes nest: closing one restores what was set before it.
 */
public final class JobLabels {
    /** Spark's own keys (SparkContext.SPARK_JOB_GROUP_ID, SPARK_JOB_DESCRIPTION, SPARK_JOB_INTERRUPT_ON_CANCEL). */
    static final String GROUP = "spark.jobGroup.id";
    static final String DESCRIPTION = "spark.job.description";
    static final String INTERRUPT = "spark.job.interruptOnCancel";
    /** Our own: the stage label that {@link #describe} prefixes. */
    static final String STAGE = "vae.stage";

    private JobLabels() {}

    /** A label's lifetime: closing it restores the labels that were set before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Labels every job started from here on with {@code label} as group and description (e.g. {@code evaluate
     * mnist-z20}), until the scope is closed.
     */
    public static Scope stage(SparkContext sc, String label) {
        Scope restore = saving(sc, GROUP, DESCRIPTION, INTERRUPT, STAGE);
        sc.setJobGroup(label, label, false);
        sc.setLocalProperty(STAGE, label);
        return restore;
    }

    /**
     * Describes the jobs started from here on as {@code <stage label>: what} (just {@code what} outside a stage), until
     * the scope is closed.
     */
    public static Scope describe(SparkContext sc, String what) {
        Scope restore = saving(sc, DESCRIPTION);
        sc.setJobDescription(description(sc, what));
        return restore;
    }

    /** Runs {@code work} with its jobs described as {@code what} (see {@link #describe}). */
    public static <T> T describing(SparkContext sc, String what, java.util.function.Supplier<T> work) {
        try (Scope ignored = describe(sc, what)) {
            return work.get();
        }
    }

    /** The description {@link #describe} gives jobs that do {@code what} in the current thread's stage. */
    public static String description(SparkContext sc, String what) {
        String stage = sc.getLocalProperty(STAGE);
        return stage == null ? what : stage + ": " + what;
    }

    private static Scope saving(SparkContext sc, String... keys) {
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = sc.getLocalProperty(keys[i]);
        }
        return () -> {
            for (int i = 0; i < keys.length; i++) {
                sc.setLocalProperty(keys[i], before[i]); // null removes the property
            }
        };
    }
}
