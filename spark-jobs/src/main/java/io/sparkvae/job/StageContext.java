package io.sparkvae.job;

import io.sparkvae.config.JobConfig;
import io.sparkvae.config.JobConfigLoader;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.DiskFullException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.layout.StageDescriptor;
import io.sparkvae.spark.JobLabels;
import io.sparkvae.spark.SparkSessionFactory;
import io.sparkvae.spark.TaskProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a stage runs with: its validated config, the run's {@link RunLayout}, the file helper, the Spark application
 * it may use (passed in, never owned) and the lock on the output it writes, held until {@link #close}. Whoever runs a
 * stage does so through {@link #run}, which records it in the run's {@link StageEvents}; its Spark jobs are labelled
 * with the stage ({@link JobLabels}) and it can show {@link #progress} of executor work.
 *
 * <p>It also keeps the rules around that output: a stage that holds the lock sweeps what killed runs left beside it
 * ({@link HadoopFiles#sweep}); a complete output made from inputs that have changed since is reported stale
 * ({@link InputVersions}); and once a stage has said which input versions it read ({@link #recordInputs}), every
 * commit through {@link #files()} first checks they are still the current ones, refusing the commit
 * ({@link InputChangedException}, exit 1) when an input was replaced while the stage ran.
 */
public final class StageContext implements AutoCloseable {
    private final JobOptions options;
    private final JobConfig config;
    /** Plain file access, for the checks themselves. */
    private final HadoopFiles plainFiles;
    /** What stages write through: every commit first checks the inputs ({@link #requireInputsUnchanged}). */
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
    /** The stage's job labels in the Spark UI, removed on close (the session outlives the stage). */
    private JobLabels.Scope jobLabels;
    /** The progress line shown now, if any. */
    private TaskProgress progress;
    /** Set when the stage found its output complete and skipped. */
    private boolean skipped;
    /** The stage's key numbers for its events line ({@link #record}). */
    private final Map<String, Object> numbers = new LinkedHashMap<>();
    /** The stage this context runs (bound once, by {@link #run}), and the output it locked or found complete. */
    private StageDescriptor stage;
    private Path output;
    /** Paths beside the output that the stage's runs also write (see {@link #skipOrLock(String, Path, List)}). */
    private List<Path> companions = List.of();
    /** The input versions the stage read, or null before it said ({@link #recordInputs}). */
    private InputVersions.Read inputsRead;

    private StageContext(JobOptions options, JobConfig config, HadoopFiles files, RunLayout layout, SparkSessions sessions,
                         boolean ownsSessions) {
        this.options = options;
        this.config = config;
        this.plainFiles = files;
        this.files = files.checkingCommits(this::requireInputsUnchanged);
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
    public static StageContext standalone(JobOptions options, StageDescriptor stage) {
        return open(options, SparkSessions.forCommand(stage.commandName(), options), true);
    }

    private static StageContext open(JobOptions options, SparkSessions sessions, boolean ownsSessions) {
        HadoopFiles files = HadoopFiles.withSettings(SparkSessionFactory.hadoopSettings(options.sparkConf()));
        JobConfig config = JobConfigLoader.loadFile(files, options.conf(), options.overrides());
        Path root = files.path(options.root());
        if (files.exists(root) && !files.isDirectory(root)) {
            throw new BadInputException("--root " + options.root() + " is a file, not a directory");
        }
        RunLayout layout;
        try {
            layout = RunLayout.of(root, config.runName(), config.data().folderName()).withEncoding(config.encode().folderName())
                    .withScoring(config.score().folderName());
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
     * is already complete and {@code --overwrite} was not given, so the stage skips; a complete output made from
     * inputs that changed since is skipped too, with a line saying it is stale ({@code --overwrite} rebuilds it).
     * Otherwise this run takes the output's {@link OutputLock} (refused with {@link OutputBusyException}, exit 75,
     * while another live run holds it), holds it until {@link #close}, sweeps what killed runs of the output left
     * beside it, and returns false: the stage builds the output.
     */
    public boolean skipOrLock(Path output) {
        return skipOrLock(output, List.of());
    }

    /**
     * {@link #skipOrLock(Path)} for a stage whose runs also write beside {@code companions} (train's exported
     * minibatches): what killed runs left of those is swept with the output's, a skipping run's included.
     */
    public boolean skipOrLock(Path output, List<Path> companions) {
        StageDescriptor stage = stage();
        this.output = output;
        this.companions = List.copyOf(companions);
        if (skipComplete(stage, output)) {
            sweepIfUnlocked(stage, output);
            return true;
        }
        outputLock = OutputLock.acquire(plainFiles, output, stage.commandName(), OutputLock.Timing.DEFAULT, StageLog::info);
        sweep(stage, output);
        // A run that held the lock until a moment ago may have completed the output meanwhile.
        return skipComplete(stage, output);
    }

    /** The stage this context runs ({@link #run} binds it). */
    public StageDescriptor stage() {
        if (stage == null) {
            throw new IllegalStateException("no stage is running in this context: run it through StageContext.run");
        }
        return stage;
    }

    private boolean skipComplete(StageDescriptor stage, Path output) {
        if (plainFiles.isComplete(output) && !options.overwrite()) {
            String unreadable = InputVersions.unreadableRecord(plainFiles, layout, stage);
            String stale = unreadable == null ? InputVersions.staleness(plainFiles, layout, stage) : null;
            StageLog.info(stage + ": " + output + (unreadable != null ? " is marked complete but " + unreadable
                    + "; skipping (--overwrite rebuilds it)" : stale == null ? " is already complete; skipping (--overwrite rebuilds it)"
                    : " is complete but stale: " + stale + " since it was made; skipping (--overwrite rebuilds it)"));
            skipped = true;
            return true;
        }
        return false;
    }

    /**
     * Runs {@code body} as stage {@code stage} of this run, appending its start and its end (outcome, times, the
     * numbers it {@link #record}ed) to the run's {@link RunLayout#events()}. Failures propagate unchanged, but for a
     * full disk that no writer named (an executor's write, Spark's own files): it becomes a {@link DiskFullException}
     * naming the stage's output and the space left there.
     */
    public void run(StageDescriptor stage, Stage body) {
        if (this.stage != null) {
            throw new IllegalStateException("this context already ran " + this.stage + "; a context runs one stage");
        }
        this.stage = stage;
        StageEvents events = StageEvents.started(plainFiles, layout.events(), stage.commandName(), config.runName());
        try {
            body.run(this);
        } catch (Throwable e) { // Spark's SparkException too, a checked exception Scala throws undeclared
            RuntimeException named = output != null && DiskFullException.isDiskFull(e) && !DiskFullException.named(e)
                    ? plainFiles.diskFull(output, e) : null;
            Throwable failure = named != null ? named : e;
            String message = Failures.badInput(failure) != null ? Failures.badInput(failure).getMessage() : String.valueOf(failure);
            events.finished("failed", Failures.exitCode(failure), message, output, applicationId(), numbers);
            if (named != null) {
                throw named;
            }
            throw e;
        }
        if (progress != null) {
            progress.finish(); // the final count, once the work is done (a failure's error line stays alone)
            progress = null;
        }
        events.finished(skipped ? "skipped" : "ok", Failures.EXIT_OK, null, output, applicationId(), numbers);
    }

    /** Adds a key number of this stage's outcome ({@code test_neg_elbo}, {@code examples}, ...) to its events line. */
    public void record(String key, Object value) {
        numbers.put(key, value);
    }

    /**
     * Shows how far the stage's executor work is from here on (until the next call or the stage's end): elements of
     * RDDs marked with {@link TaskProgress#counted}, of {@code total}, e.g. {@code progress("examples scored", 10000)}.
     */
    public void progress(String unit, long total) {
        if (progress != null) {
            progress.close();
        }
        progress = TaskProgress.watch(spark.sparkContext(), unit, total);
    }

    private String applicationId() {
        return spark == null ? null : spark.sparkContext().applicationId();
    }

    private void sweep(StageDescriptor stage, Path output) {
        plainFiles.sweep(output).forEach(done -> StageLog.info(stage + ": " + done));
        for (Path companion : companions) {
            plainFiles.sweep(companion).forEach(done -> StageLog.info(stage + ": " + done));
        }
    }

    /**
     * A skipping stage sweeps debris of its output too (a killed run's temporary folders, and its lock, which taking
     * the lock over and releasing it removes), if no other run is writing it right now.
     */
    private void sweepIfUnlocked(StageDescriptor stage, Path output) {
        boolean debris = plainFiles.hasDebris(output) || plainFiles.exists(OutputLock.lockFile(output))
                || companions.stream().anyMatch(plainFiles::hasDebris);
        if (!debris) {
            return;
        }
        try (OutputLock lock = OutputLock.acquire(plainFiles, output, stage.commandName(), OutputLock.Timing.DEFAULT, StageLog::info)) {
            sweep(stage, output);
        } catch (RuntimeException e) {
            // Another run holds the lock (its temporary sibling is live; it cleans up after itself), or the folder is
            // read-only: either way the complete output is still skipped, as asked.
        }
    }

    /**
     * Records which versions of its inputs the stage read (the identities its output's provenance records); from now
     * on, a commit through {@link #files()} is refused when they are no longer the current ones.
     */
    public void recordInputs(InputVersions.Read read) {
        this.inputsRead = read;
    }

    /** Throws {@link InputChangedException} when an input the stage read was replaced since. */
    private void requireInputsUnchanged() {
        if (inputsRead == null || stage == null) {
            return;
        }
        String changed = InputVersions.changes(plainFiles, layout, stage, inputsRead, true);
        if (changed != null) {
            throw new InputChangedException(stage + ": not committing " + output + ": " + changed + " while " + stage
                    + " ran; rerun " + stage + " to build it from the current inputs");
        }
    }

    /**
     * The Spark session, started on the first stage's demand; executor losses are reported under {@code stage}, and
     * the stage's jobs carry its label ({@link RunLayout#label}) in the Spark UI.
     */
    public SparkSession spark() {
        StageDescriptor stage = stage();
        if (spark == null) {
            spark = sessions.get(config.runName());
            executorLoss = new ExecutorLossLog(stage.commandName());
            spark.sparkContext().addSparkListener(executorLoss);
            jobLabels = JobLabels.stage(spark.sparkContext(), layout.label(stage));
            // Until the stage names its first step: what every stage does first (schema reads, caching inputs).
            JobLabels.describe(spark.sparkContext(), "read inputs");
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
            if (progress != null) {
                progress.close();
                progress = null;
            }
            if (jobLabels != null) {
                jobLabels.close();
                jobLabels = null;
            }
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
