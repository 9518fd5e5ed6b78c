package io.sparkvae.config;

import java.util.Locale;

/**
 * The range a numeric model or training setting must lie in. The config loader checks its keys by these and
 * {@code ml.VaeEstimator} its Params, so a value one refuses the other refuses too, in the same words.
 */
public enum SettingRange {
    LATENT(1, 10_000, true),
    HIDDEN_SIZE(1, 100_000, true),
    EPOCHS(1, 100_000, true),
    BATCH_SIZE(1, 1_000_000, true),
    LEARNING_RATE(1e-12, 10.0, false),
    WORKERS(1, 100_000, true),
    AVERAGING_FREQUENCY(1, 1_000_000, true),
    PATIENCE(0, 100_000, true),
    MIN_DELTA(0, 1e6, false);

    private final double min;
    private final double max;
    private final boolean whole;

    SettingRange(double min, double max, boolean whole) {
        this.min = min;
        this.max = max;
        this.whole = whole;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public boolean contains(double value) {
        return value >= min && value <= max;
    }

    /** The range as the refusals print it: {@code [1, 10000]}, or {@code [1.0E-12, 10.0]} for a real number. */
    @Override
    public String toString() {
        return whole ? String.format(Locale.ROOT, "[%d, %d]", (long) min, (long) max) : "[" + min + ", " + max + "]";
    }
}
