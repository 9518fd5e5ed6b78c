package io.sparkvae.spark;

import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import scala.Tuple2;

/**
 * Builds the stages' Spark session: honours spark-submit's master, else the given one, else local[*]. Checks the
 * master and every {@code --spark-conf} setting first ({@link #check}), so a typo is refused in one line before any
 * work instead of failing deep inside Spark (or, for a setting read at the first job, half-way through a stage).
 * With Spark's event log on ({@code spark.eventLog.enabled}, e.g. {@code --event-log}), its folder is created first:
 * Spark refuses to start without it, and a first run on a fresh cluster should not need a manual {@code mkdir}.
 */
public final class SparkSessionFactory {
    /** Spark's master URL forms (SparkContext's own patterns); anything else must be a cluster manager's (yarn, k8s://). */
    private static final Pattern BUILT_IN_MASTER = Pattern.compile(
            "local|local\\[([0-9]+|\\*)(\\s*,\\s*[0-9]+)?]|local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]|spark://.+");
    /** Spark's objects that declare (and, once loaded, register) its core settings with their types. */
    private static final List<String> CONFIG_HOLDERS = List.of("package", "Deploy", "History", "Kryo", "Network", "Python", "R",
            "Status", "Streaming", "Tests", "UI", "Worker");
    private static final String HADOOP_PREFIX = "spark.hadoop.";

    private SparkSessionFactory() {}

    public static SparkSession create(String master, String appName, List<String> extraConf) {
        check(master, extraConf);
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
        // Every averaging round ships the model's parameters and Adam state out and back (10-30 MB for the shipped
        // models). A task result up to this size travels in the task's status message instead of through the block
        // manager (a second copy and a fetch); larger ones still take that way. Must stay below spark.rpc.message.maxSize.
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        // Float parameters do not compress: LZ4 over each round's broadcast only costs the driver time.
        conf.setIfMissing("spark.broadcast.compress", "false");
        parse(extraConf).forEach(conf::set);
        // ND4J sizes its native loop pool once, from OMP_NUM_THREADS or else every core of the machine (this release's
        // Environment.setMaxThreads does nothing), so without it each executor's tasks spread their loops over the
        // whole node, not over the cores they own (TaskThreads sizes the rest).
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
        // The executors' file system calls give up on a silent server too, as the driver's do (HadoopFiles).
        HadoopFiles.boundedWaitsUnset().forEach((key, value) -> conf.setIfMissing(HADOOP_PREFIX + key, value));
        createEventLogDir(conf);
        SparkStartChecks.checkDriverHeap(Runtime.getRuntime().maxMemory());
        SparkStartChecks.requireStandaloneMasterReachable(conf.get("spark.master"));
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Refuses (as bad input, naming it) a master URL Spark cannot run on and a {@code key=value} setting that is
     * malformed or whose value Spark's declaration of that key rejects (e.g. {@code spark.driver.maxResultSize=lots}).
     * Keys Spark does not declare (a plugin's, {@code spark.hadoop.*}) are passed on unchecked.
     *
     * @param master null for spark-submit's (or local[*])
     */
    public static void check(String master, List<String> extraConf) {
        Map<String, String> settings = parse(extraConf);
        if (master != null) {
            checkMaster("--master " + master, master);
        }
        if (settings.containsKey("spark.master")) {
            checkMaster("--spark-conf spark.master=" + settings.get("spark.master"), settings.get("spark.master"));
        }
        settings.forEach(SparkSessionFactory::checkValue);
        settings.forEach(SparkStartChecks::checkMemorySetting);
    }

    /**
     * The Hadoop settings among the Spark ones ({@code spark.hadoop.<key>=<value>}, from spark-submit's properties and
     * then {@code extraConf}), for the driver's own file system calls to follow them as Spark's do.
     */
    public static Map<String, String> hadoopSettings(List<String> extraConf) {
        Map<String, String> hadoop = new LinkedHashMap<>();
        for (Tuple2<String, String> kv : new SparkConf(true).getAll()) {
            if (kv._1().startsWith(HADOOP_PREFIX)) {
                hadoop.put(kv._1().substring(HADOOP_PREFIX.length()), kv._2());
            }
        }
        parse(extraConf).forEach((key, value) -> {
            if (key.startsWith(HADOOP_PREFIX)) {
                hadoop.put(key.substring(HADOOP_PREFIX.length()), value);
            }
        });
        return hadoop;
    }

    private static Map<String, String> parse(List<String> extraConf) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : extraConf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--spark-conf " + kv + ": expected key=value");
            }
            settings.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return settings;
    }

    private static void checkMaster(String given, String master) {
        if (BUILT_IN_MASTER.matcher(master).matches()) {
            SparkStartChecks.checkMasterCounts(given, master);
            return;
        }
        for (ExternalClusterManager manager : ServiceLoader.load(ExternalClusterManager.class, SparkSessionFactory.class.getClassLoader())) {
            if (manager.canCreate(master)) {
                return;
            }
        }
        throw new BadInputException(given + ": not a Spark master URL (local[N], local-cluster[N,C,M], spark://HOST:PORT, or"
                + " yarn / k8s://... when that cluster manager is on the classpath)");
    }

    private static void checkValue(String key, String value) {
        try {
            if (key.startsWith("spark.sql.")) {
                new SQLConf().setConfString(key, value);
            } else {
                ConfigEntry<?> entry = coreEntry(key);
                if (entry != null) {
                    entry.valueConverter().apply(value);
                }
            }
        } catch (Exception e) { // IllegalArgumentException, NumberFormatException; AnalysisException for a removed SQL key
            throw new BadInputException("--spark-conf " + key + "=" + value + ": " + String.valueOf(e.getMessage()).replace('\n', ' '), e);
        }
    }

    private static ConfigEntry<?> coreEntry(String key) {
        for (String holder : CONFIG_HOLDERS) {
            try {
                Class.forName("org.apache.spark.internal.config." + holder + "$", true, SparkConf.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // not in this Spark version: its keys go unchecked
            }
        }
        return ConfigEntry.findEntry(key);
    }

    private static void createEventLogDir(SparkConf conf) {
        if (conf.getBoolean("spark.eventLog.enabled", false)) {
            String dir = conf.get("spark.eventLog.dir", "/tmp/spark-events");
            HadoopFiles files = new HadoopFiles(org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(conf));
            files.mkdirs(files.path(dir));
        }
    }
}
