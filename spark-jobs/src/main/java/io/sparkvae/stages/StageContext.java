package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.spark.SparkSessionFactory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a stage runs with: its validated config, the output root, the file helper and (on demand) Spark.
 *
 * <p>The output layout is fixed here, so every stage agrees on it:
 * {@code <root>/datasets/<dataset>} and {@code <root>/runs/<run>/{model,eval,render,metrics.jsonl}}.
 */
public final class StageContext implements AutoCloseable {
    private final StageOptions options;
    private final JobConfig config;
    private final HadoopFiles files;
    private final Path root;
    private SparkSession spark;
    /** This context's executor-loss reporter, removed on close (a shared session outlives the stage). */
    private ExecutorLossLog executorLoss;
    /** True when {@link #spark} belongs to the {@link #shareSpark(String) sharing} context, which stops it. */
    private boolean borrowed;
    /** The stage name a shared session is created under (its Spark application name says so). */
    private String sharedStage;

    /** The context whose Spark session every other context borrows while it is set (see {@link #shareSpark(String)}). */
    private static volatile StageContext sessionOwner;

    private StageContext(StageOptions options, JobConfig config, HadoopFiles files, Path root) {
        this.options = options;
        this.config = config;
        this.files = files;
        this.root = root;
    }

    /** Loads and validates the config and checks the root before any Spark work starts. */
    public static StageContext open(StageOptions options) {
        HadoopFiles files = HadoopFiles.withDefaults();
        Path confPath = files.path(options.conf);
        files.requireFile(confPath, "config file");
        String name = confPath.getName();
        String stem = name.endsWith(".conf") ? name.substring(0, name.length() - ".conf".length()) : name;
        JobConfig config = JobConfigLoader.load(files.readString(confPath), options.conf, stem, options.overrides);
        Path root = files.path(options.root);
        if (files.exists(root) && !files.isDirectory(root)) {
            throw new BadInputException("--root " + options.root + " is a file, not a directory");
        }
        return new StageContext(options, config, files, root);
    }

    public JobConfig config() {
        return config;
    }

    public HadoopFiles files() {
        return files;
    }

    public boolean overwrite() {
        return options.overwrite;
    }

    public Path root() {
        return root;
    }

    public Path datasetDir() {
        return new Path(new Path(root, "datasets"), config.data().folderName());
    }

    public Path runDir() {
        return new Path(new Path(root, "runs"), config.runName());
    }

    /**
     * The skip rule every stage shares: true (after saying so in one line) when {@code output} is already complete
     * and {@code --overwrite} was not given.
     */
    public boolean skipComplete(String stage, Path output) {
        if (files.isComplete(output) && !options.overwrite) {
            StageLog.info(stage + ": " + output + " is already complete; skipping (--overwrite rebuilds it)");
            return true;
        }
        return false;
    }

    /**
     * The Spark session, created on first use with this stage's master and settings; while another context
     * {@link #shareSpark(String) shares} its session, that one is borrowed instead (and left running on close).
     */
    public SparkSession spark(String stage) {
        if (spark == null) {
            spark = session(stage);
            // Registered by the context that runs the work (not the pipeline lending its session), so one line per loss.
            executorLoss = new ExecutorLossLog(stage);
            spark.sparkContext().addSparkListener(executorLoss);
        }
        return spark;
    }

    private SparkSession session(String stage) {
        StageContext owner = sessionOwner;
        if (owner != null && owner != this) {
            borrowed = true;
            if (owner.spark == null) {
                owner.spark = owner.session(owner.sharedStage);
            }
            return owner.spark;
        }
        return SparkSessionFactory.create(options.master, "vae-" + stage + "-" + config.runName(), options.sparkConf);
    }

    /**
     * Used by {@code vae pipeline}: until this context is closed, every stage context opened in this JVM uses this
     * context's Spark session (created on the first stage's demand) instead of creating and stopping its own, so
     * the stages run in one Spark application.
     */
    public StageContext shareSpark(String stage) {
        sharedStage = stage;
        sessionOwner = this;
        return this;
    }

    @Override
    public void close() {
        if (sessionOwner == this) {
            sessionOwner = null;
        }
        if (executorLoss != null) {
            spark.sparkContext().removeSparkListener(executorLoss); // before stop: stopping removes every executor
            executorLoss = null;
        }
        if (spark != null && !borrowed) {
            spark.stop();
        }
        spark = null;
    }
}
