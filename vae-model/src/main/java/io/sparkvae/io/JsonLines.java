package io.sparkvae.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines text ({@code metrics.jsonl}, {@code curve.jsonl}): one object per line, through the shared {@link Json} mapper. */
public final class JsonLines {
    private JsonLines() {}

    /** The whole file's text: one line per row, each ending in a newline. */
    public static String of(List<?> rows) {
        StringBuilder sb = new StringBuilder();
        for (Object row : rows) {
            sb.append(Json.writeLine(row)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads every non-blank line as a {@code type}; a line that is not one is bad input naming {@code origin} and the
     * line number.
     */
    public static <T> List<T> parse(String text, Class<T> type, String origin) {
        List<T> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                try {
                    out.add(Json.mapper().readValue(lines[i], type));
                } catch (JsonProcessingException e) {
                    throw new BadInputException(origin + ":" + (i + 1) + ": not a " + type.getSimpleName() + " line ("
                            + e.getOriginalMessage() + ")");
                }
            }
        }
        return out;
    }
}
