package io.sparkvae.io;

/**
 * Input, configuration or request that cannot be honoured; stages map it to exit status 2.
 *
 * <p>The message is the one line a user sees: it names what is wrong and where.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
