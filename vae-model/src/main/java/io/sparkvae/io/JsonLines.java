package io.sparkvae.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkvae.provenance.Provenance;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines text ({@code metrics.jsonl}, {@code curve.jsonl}): one object per line, through the shared JSON mapper. */
public final class JsonLines {
    private static final ObjectWriter ONE_LINE = Provenance.json().writer().withoutFeatures(SerializationFeature.INDENT_OUTPUT);

    private JsonLines() {}

    /** One row as a single line of JSON (no newline). */
    public static String line(Object row) {
        try {
            return ONE_LINE.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole file's text: one line per row, each ending in a newline. */
    public static String of(List<?> rows) {
        StringBuilder sb = new StringBuilder();
        for (Object row : rows) {
            sb.append(line(row)).append('\n');
        }
        return sb.toString();
    }

    /** Reads every non-blank line as a {@code type}; a line that is not one fails naming it. */
    public static <T> List<T> parse(String text, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(Provenance.json().readValue(line, type));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException("not a " + type.getSimpleName() + " line: " + line, e);
                }
            }
        }
        return out;
    }
}
