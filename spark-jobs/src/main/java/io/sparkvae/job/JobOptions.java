package io.sparkvae.job;

import java.util.ArrayList;
import java.util.List;

/**
 * What one stage run is asked to do, independent of how it was asked (command line, pipeline, experiment): the job
 * config and its overrides, the output root, the Spark master and settings, and whether to rebuild complete output.
 *
 * @param conf      job config file (local path or Hadoop URI)
 * @param root      output root (local path or Hadoop URI)
 * @param master    Spark master, or null for spark-submit's (else {@code local[*]})
 * @param overrides {@code key=value} config overrides, applied in order after the file
 * @param sparkConf {@code key=value} Spark settings
 * @param overwrite rebuild the stage's output even when it is complete
 */
public record JobOptions(String conf, String root, String master, List<String> overrides, List<String> sparkConf,
                         boolean overwrite) {
    public JobOptions {
        overrides = List.copyOf(overrides);
        sparkConf = List.copyOf(sparkConf);
    }

    /** The same options, rebuilding complete output ({@code --overwrite}) or not. */
    public JobOptions withOverwrite(boolean rebuild) {
        return new JobOptions(conf, root, master, overrides, sparkConf, rebuild);
    }

    /** The same options with {@code more} overrides applied after these. */
    public JobOptions withOverrides(List<String> more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(more);
        return new JobOptions(conf, root, master, all, sparkConf, overwrite);
    }
}
