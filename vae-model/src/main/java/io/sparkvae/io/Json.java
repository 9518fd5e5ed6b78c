package io.sparkvae.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/**
 * The project's one JSON mapper: sorted keys and indented output, so every JSON file it writes (manifests, specs,
 * provenance, metrics, sidecars) is stable under reruns and diffs well. Readers ignore keys they do not know, so an
 * older program reads a newer file.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectWriter ONE_LINE = MAPPER.writer().withoutFeatures(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** The shared mapper; callers that need another naming strategy take a {@code copy()} of it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A reader of {@code type} through the shared mapper. */
    public static ObjectReader reader(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    /** {@code value} as indented JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as one line of JSON (no newline): a JSON Lines row. */
    public static String writeLine(Object value) {
        try {
            return ONE_LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
