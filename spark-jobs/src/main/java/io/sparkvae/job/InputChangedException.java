package io.sparkvae.job;

import io.sparkvae.io.RetryableFailure;

/**
 * An input of a stage (its dataset, its model) was replaced while the stage ran, so the output it was about to commit
 * would mix the old input with the new one's name: refused before the commit, exit status 1 (a rerun reads the new
 * input).
 */
public final class InputChangedException extends RetryableFailure {
    public InputChangedException(String message) {
        super(message);
    }
}
