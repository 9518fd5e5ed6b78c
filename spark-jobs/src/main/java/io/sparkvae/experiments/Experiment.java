package io.sparkvae.experiments;

import java.util.List;

/**
 * A sweep read from its file: every run's config is validated before anything runs.
 *
 * @param name        the file's stem; run names and {@code <root>/experiments/<name>} derive from it
 * @param file        the sweep file's URI
 * @param description what the sweep tests and how its budget was chosen (printed in the report)
 * @param sets        {@code key=value} overrides applied to every run: the file's {@code set} block and the command
 *                    line's {@code --set} (which also wins over each run's own)
 */
public record Experiment(String name, String file, String description, List<String> sets, List<ExperimentRun> runs) {}
