package io.sparkvae.job;

/**
 * Another live run holds the lock of the output a stage was asked to write. Neither bad input (retrying later helps:
 * the other run finishes, and the stage then skips) nor a failure to retry at once (it would only race the other
 * run): exit status 75, sysexits.h's EX_TEMPFAIL, which schedulers retry after a pause.
 */
public final class OutputBusyException extends RuntimeException {
    public OutputBusyException(String message) {
        super(message);
    }
}
