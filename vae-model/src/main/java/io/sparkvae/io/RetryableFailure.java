package io.sparkvae.io;

/**
 * A failure whose message says all a user needs (one line naming what and where) and that a later rerun may not
 * meet: a full disk, an input replaced while a stage read it. Stages map it to exit status 1 without a stack trace.
 */
public class RetryableFailure extends RuntimeException {
    public RetryableFailure(String message) {
        super(message);
    }

    public RetryableFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
