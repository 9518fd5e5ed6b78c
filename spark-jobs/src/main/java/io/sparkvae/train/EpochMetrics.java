package io.sparkvae.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.provenance.Provenance;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
        try {
            return Provenance.json().writer().withoutFeatures(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EpochMetrics fromJsonLine(String line) {
        try {
            return Provenance.json().readValue(line, EpochMetrics.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not an epoch metrics line: " + line, e);
        }
    }

    /** The whole {@code metrics.jsonl} text for these epochs. */
    public static String toJsonLines(List<EpochMetrics> epochs) {
        StringBuilder sb = new StringBuilder();
        for (EpochMetrics m : epochs) {
            sb.append(m.toJsonLine()).append('\n');
        }
        return sb.toString();
    }

    public static List<EpochMetrics> parseJsonLines(String text) {
        List<EpochMetrics> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(fromJsonLine(line));
            }
        }
        return out;
    }
}
