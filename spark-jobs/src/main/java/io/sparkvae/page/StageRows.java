package io.sparkvae.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's stage table from the lines of {@code events.jsonl}: one row per stage run, its start line matched with its
 * end line; a start without an end is shown as {@code running} (or killed: the log cannot tell).
 */
final class StageRows {
    static final List<String> COLUMNS = List.of("stage", "outcome", "started", "seconds", "exit code", "numbers or error");

    private StageRows() {}

    static List<String[]> of(List<JsonNode> events) {
        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>();
        for (JsonNode e : events) {
            String stage = e.path("stage").asText("?");
            String event = e.path("event").asText("");
            if (event.equals("started")) {
                open.put(stage, rows.size());
                rows.add(new String[] {stage, "running", e.path("start").asText(""), "", "", ""});
                continue;
            }
            Integer at = open.remove(stage);
            String[] row = {stage, e.path("outcome").asText("?"), e.path("start").asText(""),
                    e.path("seconds").isNumber() ? String.format(Locale.ROOT, "%.1f", e.path("seconds").doubleValue()) : "",
                    e.path("exit_code").isNumber() ? e.path("exit_code").asText() : "", detail(e)};
            if (at == null) {
                rows.add(row);
            } else {
                rows.set(at, row);
            }
        }
        return rows;
    }

    /** The error line of a failed stage, else its recorded numbers as {@code key=value} pairs. */
    private static String detail(JsonNode e) {
        if (e.hasNonNull("error")) {
            return e.get("error").asText();
        }
        StringBuilder sb = new StringBuilder();
        JsonNode numbers = e.path("numbers");
        for (Iterator<Map.Entry<String, JsonNode>> it = numbers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> n = it.next();
            JsonNode v = n.getValue();
            sb.append(sb.length() == 0 ? "" : ", ").append(n.getKey()).append('=')
                    .append(v.isFloatingPointNumber() ? PageHtml.number(v.doubleValue()) : v.isValueNode() ? v.asText() : v.toString());
        }
        return sb.toString();
    }
}
