package io.sparkvae.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of every command that runs Spark jobs: where outputs go and on which Spark master. */
public class SparkTargetOptions {
    @Option(names = "--root", paramLabel = "URI", defaultValue = "work",
            description = "Output root (local path or hdfs://...). Default: ${DEFAULT-VALUE}")
    public String root;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: the one spark-submit set, else local[*].")
    public String master;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "Extra Spark setting, e.g. --spark-conf spark.ui.enabled=true (repeatable).")
    public List<String> sparkConf = new ArrayList<>();
}
