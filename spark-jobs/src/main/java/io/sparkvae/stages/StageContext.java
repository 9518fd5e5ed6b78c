package io.sparkvae.stages;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.io.OutputLock;
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
    /** The lock on the output this stage writes, held from {@link #skipOrLock} until {@link #close}. */
    private OutputLock outputLock;

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
        return inside(new Path(root, "datasets"), config.data().folderName(), "data.dataset/data.limit");
    }

    public Path runDir() {
        return inside(new Path(root, "runs"), config.runName(), "run.name");
    }

    /**
     * {@code parent/name}, refused unless it is a direct child of {@code parent}: outputs never leave the root, whatever
     * a config value holds ({@code ..}, an absolute path, a URI). The config loader already refuses such run names;
     * this keeps the guarantee where the paths are made.
     */
    private static Path inside(Path parent, String name, String key) {
        Path p;
        try {
            p = new Path(parent, name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(key + " '" + name + "' is not a valid folder name: " + e.getMessage());
        }
        if (!parent.equals(p.getParent()) || !p.getName().equals(name)) {
            throw new BadInputException(key + " '" + name + "' would place outputs outside " + parent);
        }
        return p;
    }

    /**
     * The rule every stage follows before it writes {@code output}: true (after saying so in one line) when the output
     * is already complete and {@code --overwrite} was not given, so the stage skips. Otherwise this run takes the
     * output's {@link OutputLock} (refused, exit 2, while another live run holds it), holds it until {@link #close},
     * and returns false: the stage builds the output.
     */
    public boolean skipOrLock(String stage, Path output) {
        if (skipComplete(stage, output)) {
            return true;
        }
        outputLock = OutputLock.acquire(files, output, stage, OutputLock.Timing.DEFAULT, StageLog::info);
        // A run that held the lock until a moment ago may have completed the output meanwhile.
        return skipComplete(stage, output);
    }

    private boolean skipComplete(String stage, Path output) {
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
     * Used by {@code vae pipeline} and {@code vae experiment}: until this context is closed, every stage context opened
     * in this JVM uses this context's Spark session (created on the first stage's demand) instead of creating and
     * stopping its own, so the stages run in one Spark application. Sharing nests: while another context already
     * shares its session (an experiment running pipelines), this one borrows that session like any stage.
     */
    public StageContext shareSpark(String stage) {
        if (sessionOwner != null && sessionOwner != this) {
            return this;
        }
        sharedStage = stage;
        sessionOwner = this;
        return this;
    }

    /** Stops an own Spark session, then releases the output lock (last: nothing of this run writes after it). */
    @Override
    public void close() {
        try {
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
        } finally {
            if (outputLock != null) {
                outputLock.close();
                outputLock = null;
            }
        }
    }
}
