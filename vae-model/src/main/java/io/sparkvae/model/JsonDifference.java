package io.sparkvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeSet;

/** Where two JSON trees first differ, as a JSON pointer with both values: for messages that say what is wrong. */
final class JsonDifference {
    private JsonDifference() {
    }

    /** The first difference between {@code expected} and {@code actual} under {@code at}, or null when equal. */
    static String first(JsonNode expected, JsonNode actual, String at) {
        if (expected.equals(actual)) {
            return null;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                if (e == null || a == null) {
                    return at + "/" + name + (e == null ? " is unexpected" : " is missing");
                }
                String inner = first(e, a, at + "/" + name);
                if (inner != null) {
                    return inner;
                }
            }
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String inner = first(expected.get(i), actual.get(i), at + "/" + i);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return (at.isEmpty() ? "/" : at) + " is " + shorten(actual) + ", expected " + shorten(expected);
    }

    private static String shorten(JsonNode node) {
        String s = node.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
