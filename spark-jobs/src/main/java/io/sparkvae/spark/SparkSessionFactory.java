package io.sparkvae.spark;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the stages' Spark session: honours spark-submit's master, else the given one, else local[*]. With Spark's
 * event log on ({@code spark.eventLog.enabled}, e.g. {@code --event-log}), its folder is created first: Spark refuses
 * to start without it, and a first run on a fresh cluster should not need a manual {@code mkdir}.
 */
public final class SparkSessionFactory {
    private SparkSessionFactory() {}

    public static SparkSession create(String master, String appName, List<String> extraConf) {
        SparkConf conf = new SparkConf(true); // true: pick up spark.* system properties set by spark-submit
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setAppName(appName);
        // Quiet by default; users turn the UI on with --spark-conf spark.ui.enabled=true.
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        for (String kv : extraConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--spark-conf " + kv + ": expected key=value");
            }
            conf.set(kv.substring(0, eq), kv.substring(eq + 1));
        }
        createEventLogDir(conf);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static void createEventLogDir(SparkConf conf) {
        if (conf.getBoolean("spark.eventLog.enabled", false)) {
            String dir = conf.get("spark.eventLog.dir", "/tmp/spark-events");
            HadoopFiles files = new HadoopFiles(org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(conf));
            files.mkdirs(files.path(dir));
        }
    }
}
