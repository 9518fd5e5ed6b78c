package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.DiskFullException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.JobLabels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Vae} with parameter averaging across Spark tasks ({@link ParameterAveraging}): workers fit
 * {@code averaging-frequency} minibatches each from the broadcast parameters and Adam state, the driver averages both,
 * and so on over the epoch.
 *
 * <p>The training split is exported once as shuffled minibatch files ({@link MinibatchExporter}) and every epoch visits
 * them in an order seeded by the epoch, so a run resumed from a checkpoint replays the same epochs. After every epoch:
 * validation -ELBO on the executors, a divergence check, a checkpoint and {@code metrics.jsonl}.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    /**
     * What a finished training returns: the model kept (the last epoch's, or the best one's with early stopping) and
     * every epoch trained.
     */
    public record Result(Vae vae, List<EpochMetrics> history, int keptEpoch, RoundCosts costs) {
        /** Whether early stopping ended the training before its configured epochs. */
        public boolean stoppedEarly(int configuredEpochs) {
            return history.get(history.size() - 1).epoch() < configuredEpochs;
        }

        /**
         * Where this process's epochs spent their time, in seconds by name: the driver's broadcasts, round jobs and
         * averaging, and the tasks' set-up, minibatch reads, steps and packing (summed over workers).
         */
        public java.util.Map<String, Double> averagingCosts() {
            return costs.byName();
        }
    }

    private final SparkSession spark;
    private final HadoopFiles files;
    private final TrainingInput input;
    /** Whether a dataset identity a checkpoint recorded is the dataset trained on now. */
    private Predicate<String> sameDataset = identity -> true;
    /** Whether a resume may continue a complete model's newest checkpoint (see {@link #extendingCompleteModels}). */
    private boolean extendComplete;

    public SparkTrainer(SparkSession spark, HadoopFiles files, TrainingInput input) {
        this.spark = spark;
        this.files = files;
        this.input = input;
    }

    /** The training {@code config} describes. */
    public SparkTrainer(SparkSession spark, HadoopFiles files, JobConfig config) {
        this(spark, files, TrainingInput.of(config));
    }

    /**
     * Resume only checkpoints trained on the dataset {@code isCurrent} accepts (by the identity they recorded); others
     * are set aside and training starts afresh.
     */
    public SparkTrainer resumingOnly(Predicate<String> isCurrent) {
        this.sameDataset = isCurrent;
        return this;
    }

    /**
     * With {@code resume}, a complete model with no interrupted attempt beside it is continued too: its newest
     * checkpoint is saved into the new attempt and training goes on from there, so more epochs extend a finished fit
     * (the complete model stays in place until the new one commits). {@code ml.VaeEstimator}'s {@code checkpointDir}
     * works so; the train stage does not ({@code --overwrite} there means a new training).
     */
    public SparkTrainer extendingCompleteModels() {
        this.extendComplete = true;
        return this;
    }

    /** The VAE {@code config} describes for inputs of {@code inputSize} values (see {@link TrainingInput#spec}). */
    public static VaeSpec spec(JobConfig config, int inputSize) {
        return TrainingInput.of(config).spec(inputSize);
    }

    /**
     * Trains into {@code out.attempt()} (a checkpoint after every epoch, then the final model) and commits it as
     * {@code out.model()} by rename, {@code _SUCCESS} last. A complete model already there (an {@code --overwrite})
     * stays in place, usable, until that rename; so does its training log, which is replaced after the commit.
     *
     * @param valRows the validation split, or null to train without one (the log's validation -ELBO is then NaN)
     * @param resume  continue from the newest usable checkpoint of an interrupted training, if there is one; without
     *                it, an interrupted training's checkpoints are deleted and training starts afresh
     */
    public Result train(Dataset<Row> trainRows, Dataset<Row> valRows, int inputSize, TrainingOutputs out, Provenance provenance,
            boolean resume, Consumer<EpochMetrics> progress) {
        JobConfig.Train t = input.train();
        // The log of a complete model describes that model: it is replaced only once the new model is committed.
        boolean keepOldLog = files.isComplete(out.model());
        files.sweep(out.log());
        Checkpoints checkpoints = new Checkpoints(files, out.attemptCheckpoints(), t.keepCheckpoints());

        Vae vae;
        List<EpochMetrics> history = new ArrayList<>();
        var restored = resume
                ? new TrainingResume(files, out, t.keepCheckpoints()).find(checkpoints, input.spec(inputSize), t.epochs(), extendComplete,
                        sameDataset, provenance)
                : Optional.<Checkpoints.Restored>empty();
        if (restored.isPresent()) {
            vae = restored.get().vae();
            history.addAll(restored.get().history());
            LOG.info("resuming after epoch {} from {}", restored.get().epoch(), checkpoints.dir(restored.get().epoch()));
        } else {
            files.delete(out.attempt()); // an earlier attempt's checkpoints (no usable one, or no --resume): start clean
            vae = Vae.create(input.spec(inputSize));
        }

        EarlyStop earlyStop = new EarlyStop(t.earlyStopping());
        if (earlyStop.rule().enabled() && valRows == null) {
            throw new BadInputException("train.early-stopping.patience = " + t.earlyStopping().patience()
                    + " needs a validation split to judge by, and there is none");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        files.deleteTemporarySiblings(out.batches()); // a killed run's export (the whole training split) would stay forever
        Path batchesDir = files.temporarySibling(out.batches());
        try (ValidationScorer validation = new ValidationScorer(jsc, valRows, t.batchSize(), input.seed())) {
            long trainExamples = trainRows.count();
            List<String> batchFiles = export(jsc, trainRows, trainExamples, batchesDir);
            MultiLayerNetwork network = vae.network();
            RoundCosts costs = RoundCosts.NONE;
            try (ParameterAveraging averaging = new ParameterAveraging(jsc, network, batchFiles, t.workers(), t.averagingFrequency(),
                    t.prefetch(), t.cacheMegabytes(), input.seed())) {
                for (int epoch = history.size() + 1; epoch <= t.epochs() && !earlyStop.stopAfter(history); epoch++) {
                    long started = System.nanoTime();
                    String epochLabel = "epoch " + epoch + "/" + t.epochs();
                    ParameterAveraging.EpochFit fit;
                    try (JobLabels.Scope ignored = JobLabels.describe(jsc.sc(), epochLabel)) {
                        fit = averaging.fitEpoch(network, epoch, epochLabel);
                    }
                    double fitSeconds = (System.nanoTime() - started) / 1e9;
                    costs = costs.plus(fit.costs());
                    LOG.debug("epoch {}: {} averaging rounds in {} s; {}", epoch, fit.rounds(), String.format(java.util.Locale.ROOT, "%.2f", fitSeconds),
                            fit.costs().describe());
                    requireFinite(fit.meanNegElbo(), "training -ELBO", epoch, checkpoints);
                    requireFinite(network.params().sumNumber().doubleValue(), "parameters", epoch, checkpoints);
                    vae = Vae.wrap(network);
                    double valNegElbo;
                    try (JobLabels.Scope ignored = JobLabels.describe(jsc.sc(), epochLabel + ": validation -ELBO")) {
                        valNegElbo = validation.meanNegElbo(vae, epoch);
                    }
                    if (validation.enabled()) {
                        requireFinite(valNegElbo, "validation -ELBO", epoch, checkpoints);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    EpochMetrics m = new EpochMetrics(epoch, fit.meanNegElbo(), valNegElbo, seconds, trainExamples / fitSeconds);
                    history.add(m);
                    checkpoints.protect(earlyStop.rule().enabled() ? earlyStop.bestEpoch(history) : 0);
                    checkpoints.save(epoch, vae, provenance, history);
                    if (!keepOldLog) {
                        writeLog(out.log(), history);
                    }
                    progress.accept(m);
                }
            }
            int best = earlyStop.bestEpoch(history);
            if (best != history.get(history.size() - 1).epoch()) {
                LOG.info("early stopping: keeping the model of epoch {}, the best validation -ELBO", best);
                vae = checkpoints.load(best).vae();
            }
            VaeStore.save(vae, provenance, out.attempt(), files);
            // The rename replaces an older model (moved aside first, deleted once the new one is in place).
            files.commitDirectory(out.attempt(), out.model(), true);
            writeLog(out.log(), history);
            return new Result(vae, history, best, costs);
        } finally {
            files.deleteQuietly(batchesDir);
            dropIfNothingToResume(out.attempt(), checkpoints);
        }
    }

    /** Writes the training split as minibatch files from the executors; returns their URIs. */
    private List<String> export(JavaSparkContext jsc, Dataset<Row> trainRows, long trainExamples, Path batchesDir) {
        int batchSize = input.train().batchSize();
        // No more partitions than minibatches: data.partitions = 100000 on 200 rows would run 100000 tasks.
        int partitions = (int) Math.min(input.partitions(), Math.max(1, (trainExamples + batchSize - 1) / batchSize));
        try (JobLabels.Scope ignored = JobLabels.describe(jsc.sc(), "export minibatches")) {
            return MinibatchExporter.export(trainRows, batchSize, partitions, input.seed(), batchesDir);
        } catch (RuntimeException e) {
            // The executors write the minibatches; a full disk arrives wrapped in Spark's exception.
            throw DiskFullException.isDiskFull(e) ? files.diskFull(batchesDir, e) : e;
        }
    }

    /** A failed training that wrote no checkpoint leaves no folder behind (one with checkpoints is kept for --resume). */
    private void dropIfNothingToResume(Path attempt, Checkpoints checkpoints) {
        try {
            if (files.exists(attempt) && !checkpoints.any()) {
                files.deleteQuietly(attempt);
            }
        } catch (RuntimeException e) {
            // best effort; the failure on its way up matters more
        }
    }

    private void writeLog(Path metricsFile, List<EpochMetrics> history) {
        files.writeBytesAtomically(metricsFile, EpochMetrics.toJsonLines(history).getBytes(StandardCharsets.UTF_8));
    }

    private void requireFinite(double value, String what, int epoch, Checkpoints checkpoints) {
        if (!Double.isFinite(value)) {
            String last = epoch > 1 && checkpoints.any() ? "the last good checkpoint is " + checkpoints.dir(epoch - 1)
                    : "no checkpoint was written";
            throw new TrainingDivergedException("training diverged in epoch " + epoch + ": " + what + " is " + value
                    + "; " + last + " (try a lower train.learning-rate or train.learning-rate-scaling)");
        }
    }
}
