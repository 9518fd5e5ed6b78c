package io.sparkvae.cli;

import io.sparkvae.io.BadInputException;
import io.sparkvae.spark.SparkSessionFactory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of every command that runs Spark jobs: where outputs go and on which Spark master. */
public class SparkTargetOptions {
    @Option(names = "--root", paramLabel = "URI", defaultValue = "work",
            description = "Output root (local path, hdfs://... or s3a://...). Default: ${DEFAULT-VALUE}")
    public String root;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: the one spark-submit set, else local[*].")
    public String master;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "Extra Spark setting, e.g. --spark-conf spark.ui.enabled=true (repeatable).")
    public List<String> sparkConf = new ArrayList<>();

    @Option(names = "--event-log", paramLabel = "URI",
            description = {"Keep Spark's event log in this folder (any Hadoop URI, created if missing), so a History Server",
                    "shows the finished application (scripts/history-server.sh URI). Same as --spark-conf",
                    "spark.eventLog.enabled=true --spark-conf spark.eventLog.dir=URI."})
    public String eventLog;

    /** The Spark settings asked for: {@code --spark-conf}, then those {@code --event-log} stands for. */
    public List<String> sparkSettings() {
        List<String> all = new ArrayList<>(sparkConf);
        if (eventLog != null) {
            all.add("spark.eventLog.enabled=true");
            all.add("spark.eventLog.dir=" + eventLog);
        }
        return all;
    }

    /** Refuses an empty root, a master Spark cannot run on and a malformed or ill-typed setting, before any work. */
    public void check() {
        if (root.isBlank()) {
            throw new BadInputException("--root is empty: give the output root, a local path or a URI such as hdfs://namenode:8020/vae");
        }
        SparkSessionFactory.check(master, sparkSettings());
    }
}
