package io.sparkvae.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sparkvae.io.JsonLines;
import java.util.List;

/**
 * One line of {@code metrics.jsonl}: an epoch's training and validation -ELBO (nats per image) and its speed.
 *
 * @param seconds          wall time of the whole epoch (training, validation, checkpoint)
 * @param imagesPerSecond  training examples per second of the fitting part alone
 */
@JsonPropertyOrder({"epoch", "train_neg_elbo", "val_neg_elbo", "seconds", "images_per_second"})
public record EpochMetrics(
        int epoch,
        @JsonProperty("train_neg_elbo") double trainNegElbo,
        @JsonProperty("val_neg_elbo") double valNegElbo,
        double seconds,
        @JsonProperty("images_per_second") double imagesPerSecond) {

    public String toJsonLine() {
        return JsonLines.line(this);
    }

    /** The whole {@code metrics.jsonl} text for these epochs. */
    public static String toJsonLines(List<EpochMetrics> epochs) {
        return JsonLines.of(epochs);
    }

    public static List<EpochMetrics> parseJsonLines(String text) {
        return JsonLines.parse(text, EpochMetrics.class);
    }
}
