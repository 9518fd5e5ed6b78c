package io.sparkvae.cli;

import io.sparkvae.job.JobOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every stage takes: which config, its overrides, and (inherited) where outputs go and which Spark master. */
public final class StageOptions extends SparkTargetOptions {
    @Option(names = "--conf", paramLabel = "FILE", required = true,
            description = "Job config (HOCON), e.g. conf/punks-z2.conf. Local path or Hadoop URI.")
    public String conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.epochs=5 (repeatable).")
    public List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace this stage's complete output instead of skipping.")
    public boolean overwrite;

    /** These options as the job layer takes them, {@link #check checked}. */
    public JobOptions toJob() {
        check();
        return new JobOptions(conf, root, master, overrides, sparkSettings(), overwrite);
    }
}
