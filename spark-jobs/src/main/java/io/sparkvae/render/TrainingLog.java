package io.sparkvae.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkvae.io.BadInputException;
import java.util.ArrayList;
import java.util.List;

/** The train stage's {@code metrics.jsonl}: one JSON object per epoch, read for the training curve. */
public final class TrainingLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingLog() {}

    /**
     * One epoch's losses (nats per image); NaN where the line lacks one.
     *
     * @param epoch          1-based
     * @param trainNegElbo   mean training -ELBO of the epoch
     * @param valNegElbo     validation -ELBO after the epoch
     */
    public record Epoch(int epoch, double trainNegElbo, double valNegElbo) {}

    /**
     * Parses the file's text; blank lines are skipped, extra keys ignored. A line that is not an object with an
     * integer {@code epoch} is bad input naming the file and line.
     */
    public static List<Epoch> parse(String text, String origin) {
        List<Epoch> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                throw new BadInputException(origin + ":" + (i + 1) + ": not a JSON object");
            }
            if (node == null || !node.isObject() || !node.path("epoch").canConvertToInt() || !node.path("epoch").isIntegralNumber()) {
                throw new BadInputException(origin + ":" + (i + 1) + ": expected an object with an integer \"epoch\"");
            }
            out.add(new Epoch(node.get("epoch").intValue(), number(node, "train_neg_elbo"), number(node, "val_neg_elbo")));
        }
        return out;
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
    }
}
