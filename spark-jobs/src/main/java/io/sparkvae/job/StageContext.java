package io.sparkvae.job;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.layout.RunLayout;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a stage runs with: its validated config, the run's {@link RunLayout}, the file helper, the Spark application
 * it may use (passed in, never owned) and the lock on the output it writes, held until {@link #close}.
 */
public final class StageContext implements AutoCloseable {
    private final JobOptions options;
    private final JobConfig config;
    private final HadoopFiles files;
    private final RunLayout layout;
    private final SparkSessions sessions;
    /** True when {@link #sessions} was started for this stage alone, so {@link #close} stops it. */
    private final boolean ownsSessions;
    /** This context's executor-loss reporter, removed on close (the session outlives the stage). */
    private ExecutorLossLog executorLoss;
    private SparkSession spark;
    /** The lock on the output this stage writes, held from {@link #skipOrLock} until {@link #close}. */
    private OutputLock outputLock;

    private StageContext(JobOptions options, JobConfig config, HadoopFiles files, RunLayout layout, SparkSessions sessions,
                         boolean ownsSessions) {
        this.options = options;
        this.config = config;
        this.files = files;
        this.layout = layout;
        this.sessions = sessions;
        this.ownsSessions = ownsSessions;
    }

    /**
     * For a stage that runs in a shared application (the pipeline's, an experiment's): loads and validates the config
     * and checks the root before any Spark work starts.
     *
     * @param sessions the application the stage's Spark jobs run in (started only if the stage needs it; the caller
     *                 stops it)
     */
    public static StageContext open(JobOptions options, SparkSessions sessions) {
        return open(options, sessions, false);
    }

    /** For a stage run on its own: its Spark application, if it starts one, is named after it and stopped on close. */
    public static StageContext standalone(JobOptions options, String stage) {
        return open(options, SparkSessions.forCommand(stage, options), true);
    }

    private static StageContext open(JobOptions options, SparkSessions sessions, boolean ownsSessions) {
        HadoopFiles files = HadoopFiles.withDefaults();
        JobConfig config = JobConfigLoader.loadFile(files, options.conf(), options.overrides());
        Path root = files.path(options.root());
        if (files.exists(root) && !files.isDirectory(root)) {
            throw new BadInputException("--root " + options.root() + " is a file, not a directory");
        }
        RunLayout layout;
        try {
            layout = RunLayout.of(root, config.runName(), config.data().folderName()).withEncoding(config.encode().folderName());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("config " + options.conf() + ": " + e.getMessage());
        }
        return new StageContext(options, config, files, layout, sessions, ownsSessions);
    }

    public JobOptions options() {
        return options;
    }

    public JobConfig config() {
        return config;
    }

    public HadoopFiles files() {
        return files;
    }

    public RunLayout layout() {
        return layout;
    }

    public boolean overwrite() {
        return options.overwrite();
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
        if (files.isComplete(output) && !options.overwrite()) {
            StageLog.info(stage + ": " + output + " is already complete; skipping (--overwrite rebuilds it)");
            return true;
        }
        return false;
    }

    /** The Spark session, started on the first stage's demand; executor losses are reported under {@code stage}. */
    public SparkSession spark(String stage) {
        if (spark == null) {
            spark = sessions.get(config.runName());
            executorLoss = new ExecutorLossLog(stage);
            spark.sparkContext().addSparkListener(executorLoss);
        }
        return spark;
    }

    /**
     * Stops a {@link #standalone} stage's own Spark application (a shared one is the caller's), then releases the
     * output lock: last, so nothing of this run writes after it.
     */
    @Override
    public void close() {
        try {
            if (executorLoss != null) {
                spark.sparkContext().removeSparkListener(executorLoss); // before stop: stopping removes every executor
                executorLoss = null;
            }
            if (ownsSessions) {
                sessions.close();
            }
        } finally {
            if (outputLock != null) {
                outputLock.close();
                outputLock = null;
            }
        }
    }
}
