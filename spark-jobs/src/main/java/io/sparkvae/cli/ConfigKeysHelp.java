package io.sparkvae.cli;

import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.layout.StageDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The help's list of config keys, each with its default and meaning, generated from {@code defaults.conf}. */
final class ConfigKeysHelp {
    /** picocli's usage width: longer lines would be wrapped again, without the indent. */
    private static final int WIDTH = 80;
    private static final String INDENT = "      ";

    private ConfigKeysHelp() {}

    /** Footer lines listing every config key, for commands that run every stage (pipeline, experiment). */
    static String[] footer() {
        return footer(key -> true);
    }

    /** Footer lines listing the keys {@code stage} reads: its sections' and the common ones. */
    static String[] footer(StageDescriptor stage) {
        List<String> sections = new ArrayList<>(StageDescriptor.COMMON_SECTIONS);
        sections.addAll(stage.sections());
        return footer(key -> sections.contains(key.split("\\.", 2)[0]));
    }

    /** Footer lines for a command that takes a job config (picocli formats them, so '%' is escaped). */
    private static String[] footer(Predicate<String> listed) {
        List<String> lines = new ArrayList<>(List.of("", "Config keys and their defaults (in the --conf file, or --set KEY=VALUE):"));
        for (JobConfigLoader.KeyDoc key : JobConfigLoader.keys()) {
            if (!listed.test(key.key())) {
                continue;
            }
            lines.add("  " + key.key() + " = " + key.defaultValue());
            lines.addAll(wrap(key.meaning()));
        }
        return lines.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new);
    }

    private static List<String> wrap(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(INDENT);
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > INDENT.length() && line.length() + 1 + word.length() > WIDTH) {
                out.add(line.toString());
                line = new StringBuilder(INDENT);
            }
            line.append(line.length() > INDENT.length() ? " " : "").append(word);
        }
        if (line.length() > INDENT.length()) {
            out.add(line.toString());
        }
        return out;
    }
}
