package io.sparkvae.model;

import java.io.ObjectInputFilter;
import java.util.function.Supplier;

/**
 * A JVM-wide deserialization filter that rejects every class on the thread while it reads a model file, and leaves
 * every other stream (Spark's own task and closure serialization) undecided, i.e. as it was.
 *
 * <p>Model loading never calls {@code ObjectInputStream} itself; this guard makes sure that no library it calls does
 * so on the file's bytes either. It is the JVM-wide filter ({@link ObjectInputFilter.Config#setSerialFilter}), which
 * can be installed at any time; a filter factory cannot once any stream has been opened.
 */
public final class DeserializationGuard {
    private static final ThreadLocal<Integer> DEPTH = ThreadLocal.withInitial(() -> 0);
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

    /** Whether the filter is this JVM's (false when a {@code -Djdk.serialFilter} came first: that one then rules). */
    public static boolean installed() {
        install();
        return installed;
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(
                    info -> DEPTH.get() > 0 ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED);
            installed = true;
        } catch (IllegalStateException alreadySet) {
            // The JVM was started with its own filter, which stays in charge; loading still never deserializes Java
            // objects itself.
            installed = false;
        }
    }
}
