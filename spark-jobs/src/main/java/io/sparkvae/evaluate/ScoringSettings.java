package io.sparkvae.evaluate;

import io.sparkvae.io.BadInputException;
import java.io.Serializable;

/**
 * How the test set is scored: the run seed, eps samples for the ELBO, importance samples K (0: the ELBO alone) and the
 * block size (the batch the model sees; batches are aligned blocks of source indices, which is what makes the noise
 * reproducible).
 */
public record ScoringSettings(long seed, int elboSamples, int isSamples, int blockSize) implements Serializable {
    /** Default batch: large enough for efficient gemms in the ELBO, small enough to keep per-task memory low. */
    public static final int DEFAULT_BLOCK_SIZE = 100;

    public ScoringSettings {
        if (elboSamples < 1) {
            throw new BadInputException("evaluate.elbo-samples must be at least 1, got " + elboSamples);
        }
        if (isSamples < 0) {
            throw new BadInputException("evaluate.is-samples must not be negative, got " + isSamples);
        }
        if (blockSize < 1) {
            throw new BadInputException("block size must be at least 1, got " + blockSize);
        }
    }

    /** These settings for the -ELBO alone: no importance sampling (log p(x) is NaN), which halves the work. */
    public ScoringSettings elboOnly() {
        return new ScoringSettings(seed, elboSamples, 0, blockSize);
    }
}
