package io.sparkvae.scoring;

import io.sparkvae.model.AnomalyScore;
import io.sparkvae.data.ImageShape;
import io.sparkvae.io.BadInputException;
import io.sparkvae.model.Seeds;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * How examples are scored: the seed their noise streams derive from, eps samples for the ELBO, importance samples K
 * for log p(x) (0: none), the block size (rows the model sees per call), whether to decode reconstructions, which
 * {@link AnomalyScore}s beyond the -ELBO to compute and the images' shape they need (null: {@link
 * PixelTerms#squareShape} of the model's input size).
 *
 * <p>Each example's noise is seeded from {@link #seed} and its own content ({@link Seeds#contentKey}), so its numbers
 * do not depend on its index, its neighbours or its partition; blocks only batch the arithmetic.
 */
public record ScoringSettings(long seed, int elboSamples, int isSamples, int blockSize, boolean reconstructions,
                              Set<AnomalyScore> scores, ImageShape shape) implements Serializable {
    /** Default block: large enough for efficient gemms in the ELBO, small enough to keep per-task memory low. */
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
        scores = scores.isEmpty() ? EnumSet.noneOf(AnomalyScore.class) : EnumSet.copyOf(scores);
        scores.remove(AnomalyScore.NEG_ELBO); // always there
    }

    /** Settings without anomaly scores beyond the -ELBO. */
    public ScoringSettings(long seed, int elboSamples, int isSamples, int blockSize, boolean reconstructions) {
        this(seed, elboSamples, isSamples, blockSize, reconstructions, Set.of(), null);
    }

    /** Test-set scoring with the run seed: the -ELBO from {@code elboSamples} draws and log p(x) from K draws. */
    public static ScoringSettings of(long runSeed, int elboSamples, int isSamples) {
        return new ScoringSettings(runSeed, elboSamples, isSamples, DEFAULT_BLOCK_SIZE, false);
    }

    /**
     * Train's per-epoch validation score: one eps draw per example from a stream of the epoch's own (so every epoch
     * draws afresh), no importance sampling.
     */
    public static ScoringSettings forValidation(long runSeed, int epoch, int blockSize) {
        return new ScoringSettings(Seeds.of(runSeed, Seeds.Purpose.VALIDATION_NOISE, epoch), 1, 0, blockSize, false);
    }

    /** These settings for the -ELBO alone: no importance sampling (log p(x) is NaN), which halves the work. */
    public ScoringSettings elboOnly() {
        return new ScoringSettings(seed, elboSamples, 0, blockSize, reconstructions, scores, shape);
    }

    /** These settings, also decoding each example's reconstruction at its posterior mean (or not). */
    public ScoringSettings withReconstructions(boolean decode) {
        return new ScoringSettings(seed, elboSamples, isSamples, blockSize, decode, scores, shape);
    }

    /** These settings, also computing {@code anomalyScores} for images of {@code imageShape} (null: inferred). */
    public ScoringSettings withScores(Set<AnomalyScore> anomalyScores, ImageShape imageShape) {
        return new ScoringSettings(seed, elboSamples, isSamples, blockSize, reconstructions, anomalyScores, imageShape);
    }

    /**
     * The images' shape for a model taking {@code inputSize} values.
     *
     * @throws BadInputException when none was given, the input size is not a square grey or RGB image, and a score
     *                           needs one
     */
    public ImageShape shapeFor(int inputSize) {
        ImageShape s = shape != null ? shape : PixelTerms.squareShape(inputSize);
        if (s == null && !scores.isEmpty()) {
            throw new BadInputException("the anomaly scores " + scores.stream().map(AnomalyScore::key).toList()
                    + " need the images' height, width and channels, and " + inputSize
                    + " values are not a square grey or RGB image: give the shape (VaeModel's imageShape)");
        }
        if (s != null && s.size() != inputSize) {
            throw new BadInputException("image shape " + s.height() + "x" + s.width() + "x" + s.channels() + " has "
                    + s.size() + " values but the model takes " + inputSize);
        }
        return s;
    }

    /** The seed of one example's ELBO noise stream. */
    long elboSeed(long contentKey) {
        return Seeds.of(seed, Seeds.Purpose.ELBO_NOISE, contentKey);
    }

    /** The seed of one example's importance-sampling stream. */
    long importanceSeed(long contentKey) {
        return Seeds.of(seed, Seeds.Purpose.IMPORTANCE_SAMPLES, contentKey);
    }
}
