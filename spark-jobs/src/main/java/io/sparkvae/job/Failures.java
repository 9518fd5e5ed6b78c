package io.sparkvae.job;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.FileSystemUnreachableException;
import java.io.PrintWriter;

/**
 * The stage contract's exit codes, and the one line a user reads for a failure: 0 done (or already done), 2 bad
 * input or config (retrying will not help), 1 any other failure (worth a retry).
 */
public final class Failures {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    private Failures() {}

    /** The exit code {@code failure} ends a stage with. */
    public static int exitCode(Throwable failure) {
        return badInput(failure) != null ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    /**
     * Prints {@code error: <what>} for {@code failure} (bad input: its one-line message; anything else: the exception
     * and its stack trace, which a developer needs) and returns the exit code.
     */
    public static int report(Throwable failure, PrintWriter err) {
        BadInputException bad = badInput(failure);
        FileSystemUnreachableException unreachable = bad == null ? cause(failure, FileSystemUnreachableException.class) : null;
        if (bad != null) {
            err.println("error: " + bad.getMessage());
        } else if (unreachable != null) {
            err.println("error: " + unreachable.getMessage()); // names the URI and why; a trace would add nothing
        } else {
            err.println("error: " + failure);
            failure.printStackTrace(err);
        }
        err.flush();
        return exitCode(failure);
    }

    /** Spark wraps executor-side exceptions; the user's problem is the innermost bad-input cause. */
    static BadInputException badInput(Throwable t) {
        return cause(t, BadInputException.class);
    }

    /** The first {@code type} in {@code t}'s cause chain, or null. */
    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
