package io.sparkvae.ml;

import io.sparkvae.model.EpochMetrics;
import java.util.List;

/**
 * What a fit did, epoch by epoch, as Spark ML's {@code model.summary}: the training and validation -ELBO of every epoch
 * trained (those a resumed fit took from its checkpoint included) and the epoch whose model was kept (the last, or
 * with early stopping the best).
 *
 * @param epochs    every epoch trained, in order, as the training log ({@code metrics.jsonl}) records them
 * @param keptEpoch the epoch whose model the fitted {@link VaeModel} is
 */
public record VaeTrainingSummary(List<EpochMetrics> epochs, int keptEpoch) {

    public VaeTrainingSummary {
        epochs = List.copyOf(epochs);
    }

    /** Epochs trained. */
    public int totalEpochs() {
        return epochs.size();
    }

    /** Per epoch, the mean -ELBO of its minibatches (nats per image), as it was trained. */
    public double[] trainNegElbo() {
        return epochs.stream().mapToDouble(EpochMetrics::trainNegElbo).toArray();
    }

    /** Per epoch, the mean -ELBO of the held-out rows after it; NaN when nothing was held out. */
    public double[] validationNegElbo() {
        return epochs.stream().mapToDouble(EpochMetrics::valNegElbo).toArray();
    }
}
