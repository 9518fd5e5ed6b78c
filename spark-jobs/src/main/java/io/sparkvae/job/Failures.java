package io.sparkvae.job;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.DiskFullException;
import io.sparkvae.io.RetryableFailure;
import java.io.PrintWriter;

/**
 * The stage contract's exit codes, and the one line a user reads for a failure: 0 done (or already done), 2 bad
 * input or config (retrying will not help), 75 the output is being written by another live run (sysexits.h's
 * EX_TEMPFAIL: retry after a pause), 1 any other failure (worth a retry).
 */
public final class Failures {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    /** sysexits.h's EX_TEMPFAIL: another run holds the output's lock; the same command later will succeed or skip. */
    public static final int EXIT_OUTPUT_BUSY = 75;

    private Failures() {}

    /** The exit code {@code failure} ends a stage with. */
    public static int exitCode(Throwable failure) {
        if (badInput(failure) != null) {
            return EXIT_BAD_INPUT;
        }
        return find(failure, OutputBusyException.class) != null ? EXIT_OUTPUT_BUSY : EXIT_FAILURE;
    }

    /**
     * Prints {@code error: <what>} for {@code failure} and returns the exit code. Bad input, a busy output, a full
     * disk, an unreachable file system and the other failures whose message says it all ({@link RetryableFailure})
     * get that one line. Anything else (a bug, or a failure nobody foresaw) gets one line naming the exception and
     * pointing to {@code --verbose}; with {@code verbose}, the stack trace a developer needs follows that line.
     */
    public static int report(Throwable failure, PrintWriter err, boolean verbose) {
        String line = oneLine(failure);
        if (line != null) {
            err.println("error: " + line);
        } else if (verbose) {
            err.println("error: " + unexpected(failure));
            failure.printStackTrace(err);
        } else {
            err.println("error: " + unexpected(failure) + "; rerun with --verbose for the stack trace");
        }
        err.flush();
        return exitCode(failure);
    }

    /**
     * An unexpected failure on one line: its class's simple name, then the first line of its message if it has one
     * (Spark's job-aborted messages carry the executor's stack trace after their first line).
     */
    private static String unexpected(Throwable failure) {
        String name = failure.getClass().getSimpleName().isEmpty() ? failure.getClass().getName() : failure.getClass().getSimpleName();
        String message = failure.getMessage() == null ? "" : failure.getMessage().strip().lines().findFirst().orElse("").strip();
        return message.isEmpty() ? name : name + ": " + message;
    }

    /** The one-line message of a failure users can act on without a stack trace, or null. */
    private static String oneLine(Throwable failure) {
        BadInputException bad = badInput(failure);
        if (bad != null) {
            return bad.getMessage();
        }
        OutputBusyException busy = find(failure, OutputBusyException.class);
        if (busy != null) {
            return busy.getMessage();
        }
        RetryableFailure retryable = find(failure, RetryableFailure.class);
        if (retryable != null) {
            return retryable.getMessage();
        }
        if (DiskFullException.isDiskFull(failure)) {
            // A full disk no writer of ours saw (Spark's own scratch space, say): the innermost message says most.
            return "no space left on device (" + innermost(failure) + "); free some space and rerun";
        }
        return null;
    }

    /** Spark wraps executor-side exceptions; the user's problem is the innermost bad-input cause. */
    static BadInputException badInput(Throwable t) {
        return find(t, BadInputException.class);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable innermost(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
