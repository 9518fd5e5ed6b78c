package io.sparkvae.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.Json;
import io.sparkvae.io.JsonLines;
import java.util.ArrayList;
import java.util.List;

/**
 * One training epoch's outcome, and one line of a run's training log ({@code metrics.jsonl}): the training and
 * validation -ELBO (nats per image) and the speed. The one reader and writer of that log (the train stage and the
 * single-process trainer produce it; render, the experiment runner and tests read it).
 *
 * @param epoch           1-based epoch number
 * @param trainNegElbo    mean of the epoch's minibatch scores (-ELBO, one eps sample per image)
 * @param valNegElbo      mean -ELBO over all validation images (one eps sample each); NaN without validation data
 * @param seconds         wall time of the whole epoch (training, validation and, in the train stage, its checkpoint)
 * @param imagesPerSecond training examples per second of the fitting part alone
 */
@JsonPropertyOrder({"epoch", "train_neg_elbo", "val_neg_elbo", "seconds", "images_per_second"})
public record EpochMetrics(
        int epoch,
        @JsonProperty("train_neg_elbo") double trainNegElbo,
        @JsonProperty("val_neg_elbo") double valNegElbo,
        double seconds,
        @JsonProperty("images_per_second") double imagesPerSecond) {

    /** The whole {@code metrics.jsonl} text for these epochs. */
    public static String toJsonLines(List<EpochMetrics> epochs) {
        return JsonLines.of(epochs);
    }

    /**
     * Parses a {@code metrics.jsonl} text: blank lines skipped, extra keys ignored, a missing number read as NaN. A
     * line that is not an object with an integer {@code epoch} is bad input naming {@code origin} and the line.
     */
    public static List<EpochMetrics> parse(String text, String origin) {
        List<EpochMetrics> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                throw new BadInputException(origin + ":" + (i + 1) + ": not a JSON object");
            }
            if (node == null || !node.isObject() || !node.path("epoch").isIntegralNumber() || !node.path("epoch").canConvertToInt()) {
                throw new BadInputException(origin + ":" + (i + 1) + ": expected an object with an integer \"epoch\"");
            }
            out.add(new EpochMetrics(node.get("epoch").intValue(), number(node, "train_neg_elbo"),
                    number(node, "val_neg_elbo"), number(node, "seconds"), number(node, "images_per_second")));
        }
        return out;
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
    }
}
