package io.sparkvae.io;

/**
 * A file system that cannot be reached: unknown host, connection refused, or no answer in time. Retrying later may
 * help (exit 1), and the message is the one line a user needs (it names the URI), so no stack trace is printed.
 */
public class FileSystemUnreachableException extends RetryableFailure {
    public FileSystemUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
