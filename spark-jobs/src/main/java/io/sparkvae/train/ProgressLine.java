package io.sparkvae.train;

import io.sparkvae.model.EpochMetrics;
import java.util.Locale;

/** The one console line per epoch: {@code epoch 3/30  -ELBO train 112.41 val 110.87  15,234 img/s  4.0s  ETA 1m48s}. */
public final class ProgressLine {
    private ProgressLine() {}

    /**
     * @param meanEpochSeconds mean wall time of the epochs run so far in this process (for the ETA)
     */
    public static String format(EpochMetrics m, int epochs, double meanEpochSeconds) {
        long eta = Math.round(meanEpochSeconds * (epochs - m.epoch()));
        return String.format(Locale.ROOT, "epoch %d/%d  -ELBO train %.2f val %.2f  %,.0f img/s  %.1fs  ETA %s",
                m.epoch(), epochs, m.trainNegElbo(), m.valNegElbo(), m.imagesPerSecond(), m.seconds(), duration(eta));
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }
}
