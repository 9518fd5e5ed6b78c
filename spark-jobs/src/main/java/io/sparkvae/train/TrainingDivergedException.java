package io.sparkvae.train;

import io.sparkvae.io.BadInputException;

/** Training produced a NaN or infinite score; retrying the same config would diverge again, hence exit 2. */
public final class TrainingDivergedException extends BadInputException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
