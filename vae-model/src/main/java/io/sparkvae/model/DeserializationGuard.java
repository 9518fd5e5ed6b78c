package io.sparkvae.model;

import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A JVM-wide deserialization filter factory that rejects every class on the thread while it reads a model file, and
 * leaves every other stream (Spark's own task and closure serialization) to the filter it had before.
 *
 * <p>Model loading never calls {@code ObjectInputStream} itself; this guard makes sure that no library it calls does
 * so on the file's bytes either.
 */
public final class DeserializationGuard {
    private static final ThreadLocal<Integer> DEPTH = ThreadLocal.withInitial(() -> 0);
    private static final ObjectInputFilter REJECT_ALL = info -> ObjectInputFilter.Status.REJECTED;
    private static volatile boolean installed;

    private DeserializationGuard() {
    }

    /** Runs {@code body} with every Java deserialization on this thread refused. */
    public static <T> T refusingJavaObjects(Supplier<T> body) {
        install();
        DEPTH.set(DEPTH.get() + 1);
        try {
            return body.get();
        } finally {
            DEPTH.set(DEPTH.get() - 1);
        }
    }

    /** Whether the factory is this JVM's (false when something else installed one first: then nothing is guarded). */
    public static boolean installed() {
        install();
        return installed;
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        BinaryOperator<ObjectInputFilter> previous = ObjectInputFilter.Config.getSerialFilterFactory();
        try {
            ObjectInputFilter.Config.setSerialFilterFactory(
                    (current, next) -> DEPTH.get() > 0 ? REJECT_ALL : previous.apply(current, next));
            installed = true;
        } catch (IllegalStateException alreadySet) {
            // Another factory came first (a -Djdk.serialFilterFactory): it stays in charge; loading still never
            // deserializes Java objects itself.
            installed = false;
        }
    }
}
