package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.DiskFullException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.spark.JobLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Vae} with dl4j-spark's parameter averaging: workers fit {@code averaging-frequency} minibatches
 * each from the broadcast parameters and Adam state, the driver averages both, and so on over the epoch.
 *
 * <p>The training split is exported once as shuffled minibatch files ({@link MinibatchExporter}) and each epoch
 * fits them through {@code fitPaths} with a training master seeded for that epoch, so a run resumed from a
 * checkpoint replays the same epochs. After every epoch: validation -ELBO on the executors, a divergence check,
 * a checkpoint and {@code metrics.jsonl}.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    /** What a finished training returns. */
    public record Result(Vae vae, List<EpochMetrics> history) {}

    private final SparkSession spark;
    private final HadoopFiles files;
    private final JobConfig config;
    /** Whether a dataset identity a checkpoint recorded is the dataset trained on now. */
    private Predicate<String> sameDataset = identity -> true;
    /** Whether a resume may continue a complete model's newest checkpoint (see {@link #extendingCompleteModels}). */
    private boolean extendComplete;

    public SparkTrainer(SparkSession spark, HadoopFiles files, JobConfig config) {
        this.spark = spark;
        this.files = files;
        this.config = config;
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

    /**
     * The VAE this config describes, freshly initialised for inputs of {@code inputSize} values. Its optimiser runs at
     * the workers' (scaled) learning rate, so a checkpoint records the step size it was really trained with.
     */
    public static VaeSpec spec(JobConfig config, int inputSize) {
        JobConfig.Model m = config.model();
        JobConfig.Train t = config.train();
        return new VaeSpec(inputSize, m.hidden(), m.latent(), m.activation(), m.init(), t.optimizer(), t.workerLearningRate(),
                config.seed());
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
        JobConfig.Train t = config.train();
        Path modelDir = out.model();
        Path metricsFile = out.log();
        // The log of a complete model describes that model: it is replaced only once the new model is committed.
        boolean keepOldLog = files.isComplete(modelDir);
        files.sweep(metricsFile);
        Checkpoints checkpoints = new Checkpoints(files, out.attemptCheckpoints(), t.keepCheckpoints());

        Vae vae;
        List<EpochMetrics> history = new ArrayList<>();
        var restored = resume ? resumable(out, checkpoints, spec(config, inputSize), provenance)
                : Optional.<Checkpoints.Restored>empty();
        if (restored.isPresent()) {
            vae = restored.get().vae();
            history.addAll(restored.get().history());
            LOG.info("resuming after epoch {} from {}", restored.get().epoch(), checkpoints.dir(restored.get().epoch()));
        } else {
            files.delete(out.attempt()); // an earlier attempt's checkpoints (no usable one, or no --resume): start clean
            vae = Vae.create(spec(config, inputSize));
        }
        int firstEpoch = history.size() + 1;

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path batches = out.batches();
        files.deleteTemporarySiblings(batches); // a killed run's export (the whole training split) would stay forever
        Path batchesDir = files.temporarySibling(batches);
        try (ValidationScorer validation = new ValidationScorer(jsc, valRows, t.batchSize(), config.seed())) {
            long trainExamples = trainRows.count();
            // No more partitions than minibatches: data.partitions = 100000 on 200 rows would run 100000 tasks.
            int partitions = (int) Math.min(config.data().partitions(), Math.max(1, (trainExamples + t.batchSize() - 1) / t.batchSize()));
            List<String> batchFiles;
            JobLabels.describe(jsc.sc(), "export minibatches");
            try {
                batchFiles = MinibatchExporter.export(trainRows, t.batchSize(), partitions, config.seed(), batchesDir);
            } catch (RuntimeException e) {
                // The executors write the minibatches; a full disk arrives wrapped in Spark's exception.
                throw DiskFullException.isDiskFull(e) ? files.diskFull(batchesDir, e) : e;
            }
            // One partition per worker: each averaging round's random split then already gives every worker its share,
            // so dl4j-spark's per-round repartitioning (a shuffle per round) is not needed.
            JavaRDD<String> paths = jsc.parallelize(batchFiles, t.workers()).cache();

            MultiLayerNetwork network = vae.network();
            for (int epoch = firstEpoch; epoch <= t.epochs(); epoch++) {
                long started = System.nanoTime();
                DoubleAccumulator scoreSum = jsc.sc().doubleAccumulator("train -ELBO sum, epoch " + epoch);
                LongAccumulator seen = jsc.sc().longAccumulator("train examples, epoch " + epoch);
                String epochLabel = "epoch " + epoch + "/" + t.epochs();
                JobLabels.describe(jsc.sc(), epochLabel + ": count minibatches");
                ParameterAveragingTrainingMaster master = new LabelledAveragingMaster(new ParameterAveragingTrainingMaster.Builder(t.workers(), t.batchSize())
                        .batchSizePerWorker(t.batchSize())
                        .averagingFrequency(t.averagingFrequency())
                        .workerPrefetchNumBatches(t.prefetch())
                        .saveUpdater(true) // Adam's moments are averaged and carried like the parameters
                        .rddTrainingApproach(RDDTrainingApproach.Export)
                        .repartionData(Repartition.Never)
                        .rngSeed(Seeds.of(config.seed(), Seeds.Purpose.AVERAGING_ROUNDS, epoch))
                        .trainingHooks(new WorkerStepHook(config.seed(), epoch, scoreSum, seen)), jsc.sc(), epochLabel);
                SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, network, master);
                sparkNet.fitPaths(paths, new MinibatchFile.Loader());
                network = sparkNet.getNetwork();
                double fitSeconds = (System.nanoTime() - started) / 1e9;

                double trainNegElbo = seen.value() == 0 ? Double.NaN : scoreSum.value() / seen.value();
                requireFinite(trainNegElbo, "training -ELBO", epoch, checkpoints);
                requireFinite(network.params().sumNumber().doubleValue(), "parameters", epoch, checkpoints);
                vae = Vae.wrap(network);
                JobLabels.describe(jsc.sc(), epochLabel + ": validation -ELBO");
                double valNegElbo = validation.meanNegElbo(vae, epoch);
                if (validation.enabled()) {
                    requireFinite(valNegElbo, "validation -ELBO", epoch, checkpoints);
                }

                double seconds = (System.nanoTime() - started) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch, trainNegElbo, valNegElbo, seconds, trainExamples / fitSeconds);
                history.add(m);
                checkpoints.save(epoch, vae, provenance, history);
                if (!keepOldLog) {
                    writeLog(metricsFile, history);
                }
                progress.accept(m);
            }
            VaeStore.save(vae, provenance, out.attempt(), files);
            // The rename replaces an older model (moved aside first, deleted once the new one is in place).
            files.commitDirectory(out.attempt(), modelDir, true);
            writeLog(metricsFile, history);
            return new Result(vae, history);
        } finally {
            files.deleteQuietly(batchesDir);
            dropIfNothingToResume(out.attempt(), checkpoints);
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
        files.writeBytesAtomically(metricsFile, EpochMetrics.toJsonLines(history).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The checkpoint to resume from: the newest usable one of the interrupted attempt ({@code out.attempt()}), or,
     * when there is none, of an incomplete model folder (a training interrupted before trainings had their own folder,
     * or killed between its rename and its {@code _SUCCESS}), which then becomes the attempt, or (only when
     * {@link #extendingCompleteModels}) of a complete one, whose newest checkpoint is saved into the attempt. Checkpoints of another
     * dataset version are not resumed (training starts afresh, saying so); a checkpoint of another model, or past the
     * configured epochs, is refused: resuming it would record a config that did not make the model.
     */
    private Optional<Checkpoints.Restored> resumable(TrainingOutputs out, Checkpoints attempt, VaeSpec wanted,
                                                      Provenance provenance) {
        Checkpoints source = attempt;
        boolean adopt = false;
        boolean extend = false;
        if (!attempt.any() && files.exists(out.model())) {
            boolean complete = files.isComplete(out.model());
            if (!complete || extendComplete) {
                source = new Checkpoints(files, out.modelCheckpoints(), config.train().keepCheckpoints());
                adopt = !complete;
                extend = complete;
            }
        }
        var restored = source.latest();
        if (restored.isEmpty()) {
            return restored;
        }
        Checkpoints.Restored r = restored.get();
        String trainedOn = r.provenance().datasetSha256();
        if (trainedOn != null && !sameDataset.test(trainedOn)) {
            LOG.warn("not resuming from {}: it was trained on another version of the dataset ({}, now {}); starting afresh",
                    source.dir(r.epoch()), trainedOn, provenance.datasetSha256());
            return Optional.empty();
        }
        requireConfigured(r, wanted, source);
        int epochs = config.train().epochs();
        if (r.epoch() > epochs) {
            throw new BadInputException("cannot resume from " + source.dir(r.epoch()) + ": it has trained " + r.epoch()
                    + " epochs but train.epochs = " + epochs + "; set train.epochs to " + r.epoch() + " or more to continue"
                    + " it, or train without --resume to start afresh");
        }
        if (adopt) {
            files.delete(out.attempt());
            files.rename(out.model(), out.attempt());
        } else if (extend) {
            files.delete(out.attempt());
            attempt.save(r.epoch(), r.vae(), r.provenance(), r.history());
        }
        return restored;
    }

    /** A checkpoint of another architecture or optimiser must not be resumed as if the config described it. */
    private static void requireConfigured(Checkpoints.Restored restored, VaeSpec wanted, Checkpoints checkpoints) {
        var found = restored.vae().spec().toMap();
        StringBuilder differences = new StringBuilder();
        wanted.toMap().forEach((key, value) -> {
            if (!Objects.equals(found.get(key), value)) {
                differences.append(differences.length() == 0 ? "" : ", ").append(key).append(' ').append(found.get(key))
                        .append(" (config: ").append(value).append(')');
            }
        });
        if (differences.length() > 0) {
            throw new BadInputException("cannot resume from " + checkpoints.dir(restored.epoch())
                    + ": its model differs from the config's: " + differences + "; restore the config, or train with"
                    + " --overwrite to start afresh");
        }
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
