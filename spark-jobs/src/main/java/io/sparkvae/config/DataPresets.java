package io.sparkvae.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;

/**
 * The data-set presets: a name that fills in {@code data.format} and that format's keys. Their prepared datasets
 * are the project's reference data (same rows, splits and pixels as before there were formats); their fixed splits
 * live with the dataset code ({@code io.sparkvae.dataset.SplitPlan}).
 */
public final class DataPresets {
    /** Preset name to its {@code data} keys. */
    private static final Map<String, String> PRESETS = Map.of(
            "mnist", """
                    format = idx
                    idx {
                      train-images = "mnist/train-images-idx3-ubyte"
                      train-labels = "mnist/train-labels-idx1-ubyte"
                      test-images = "mnist/t10k-images-idx3-ubyte"
                      test-labels = "mnist/t10k-labels-idx1-ubyte"
                      classes = 10
                    }
                    """,
            "punks", """
                    format = sprite-sheet
                    sprite-sheet {
                      file = "punks/punks.png"
                      tile-width = 24
                      tile-height = 24
                      columns = 100
                      count = 10000
                      order = row-major
                      channels = 3
                      background = "#000000"
                    }
                    """);

    /** The preset names, sorted. */
    public static final List<String> NAMES = PRESETS.keySet().stream().sorted().toList();

    private DataPresets() {}

    public static boolean isPreset(String name) {
        return PRESETS.containsKey(name);
    }

    /** The preset's keys as a config rooted at the top level ({@code data.format = ...}). */
    static Config keys(String name) {
        return ConfigFactory.parseString(PRESETS.get(name)).atPath("data");
    }

    /**
     * The first key at or below {@code key} that {@code user} sets to something other than its value in
     * {@code defaults}, or null when there is none.
     */
    static String firstSet(Config user, Config defaults, String key) {
        if (!user.hasPath(key)) {
            return null;
        }
        if (user.getValue(key).valueType() != ConfigValueType.OBJECT) {
            return defaults.hasPath(key) && defaults.getValue(key).unwrapped().equals(user.getValue(key).unwrapped()) ? null : key;
        }
        return user.getConfig(key).entrySet().stream().map(e -> key + "." + e.getKey())
                .filter(k -> !defaults.hasPath(k) || !defaults.getValue(k).unwrapped().equals(user.getValue(k).unwrapped()))
                .sorted().findFirst().orElse(null);
    }

    /** The format a preset reads. */
    static String format(String name) {
        return keys(name).getString("data.format");
    }
}
