package io.sparkvae.stages;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every stage takes: which config, where outputs go, which Spark master. */
public final class StageOptions {
    @Option(names = "--conf", paramLabel = "FILE", required = true,
            description = "Job config (HOCON), e.g. conf/punks-z2.conf. Local path or Hadoop URI.")
    public String conf;

    @Option(names = "--root", paramLabel = "URI", defaultValue = "work",
            description = "Output root (local path or hdfs://...). Default: ${DEFAULT-VALUE}")
    public String root;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: the one spark-submit set, else local[*].")
    public String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.epochs=5 (repeatable).")
    public List<String> overrides = new ArrayList<>();

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "Extra Spark setting, e.g. --spark-conf spark.ui.enabled=true (repeatable).")
    public List<String> sparkConf = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace this stage's complete output instead of skipping.")
    public boolean overwrite;
}
