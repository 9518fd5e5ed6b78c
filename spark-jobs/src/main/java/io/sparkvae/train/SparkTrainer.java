package io.sparkvae.train;

import io.sparkvae.config.JobConfig;
import io.sparkvae.io.BadInputException;
import io.sparkvae.io.HadoopFiles;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.model.Seeds;
import io.sparkvae.model.Vae;
import io.sparkvae.model.VaeSpec;
import io.sparkvae.model.VaeStore;
import io.sparkvae.provenance.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
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

    public SparkTrainer(SparkSession spark, HadoopFiles files, JobConfig config) {
        this.spark = spark;
        this.files = files;
        this.config = config;
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
     * Trains into {@code out.model()} (final model, then {@code _SUCCESS} last), with a checkpoint after every epoch
     * and the training log.
     *
     * @param valRows the validation split, or null to train without one (the log's validation -ELBO is then NaN)
     * @param resume  continue from the newest usable checkpoint, if there is one
     */
    public Result train(Dataset<Row> trainRows, Dataset<Row> valRows, int inputSize, TrainingOutputs out, Provenance provenance,
            boolean resume, Consumer<EpochMetrics> progress) {
        JobConfig.Train t = config.train();
        Path modelDir = out.model();
        Path metricsFile = out.log();
        Checkpoints checkpoints = new Checkpoints(files, out.checkpoints(), t.keepCheckpoints());

        Vae vae;
        List<EpochMetrics> history = new ArrayList<>();
        var restored = resume ? checkpoints.latest() : java.util.Optional.<Checkpoints.Restored>empty();
        if (restored.isPresent()) {
            requireConfigured(restored.get(), spec(config, inputSize), checkpoints);
            vae = restored.get().vae();
            history.addAll(restored.get().history());
            LOG.info("resuming after epoch {} from {}", restored.get().epoch(), checkpoints.dir(restored.get().epoch()));
        } else {
            files.delete(modelDir); // debris of an earlier attempt (no usable checkpoint): start clean
            vae = Vae.create(spec(config, inputSize));
        }
        int firstEpoch = history.size() + 1;

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path batches = out.batches();
        files.deleteTemporarySiblings(batches); // a killed run's export (the whole training split) would stay forever
        Path batchesDir = files.temporarySibling(batches);
        try (ValidationScorer validation = new ValidationScorer(jsc, valRows, t.batchSize(), config.seed())) {
            List<String> batchFiles = MinibatchExporter.export(
                    trainRows, t.batchSize(), config.data().partitions(), config.seed(), batchesDir);
            // One partition per worker: each averaging round's random split then already gives every worker its share,
            // so dl4j-spark's per-round repartitioning (a shuffle per round) is not needed.
            JavaRDD<String> paths = jsc.parallelize(batchFiles, t.workers()).cache();
            long trainExamples = trainRows.count();

            MultiLayerNetwork network = vae.network();
            for (int epoch = firstEpoch; epoch <= t.epochs(); epoch++) {
                long started = System.nanoTime();
                DoubleAccumulator scoreSum = jsc.sc().doubleAccumulator("train -ELBO sum, epoch " + epoch);
                LongAccumulator seen = jsc.sc().longAccumulator("train examples, epoch " + epoch);
                ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(t.workers(), t.batchSize())
                        .batchSizePerWorker(t.batchSize())
                        .averagingFrequency(t.averagingFrequency())
                        .workerPrefetchNumBatches(t.prefetch())
                        .saveUpdater(true) // Adam's moments are averaged and carried like the parameters
                        .rddTrainingApproach(RDDTrainingApproach.Export)
                        .repartionData(Repartition.Never)
                        .rngSeed(Seeds.of(config.seed(), Seeds.Purpose.AVERAGING_ROUNDS, epoch))
                        .trainingHooks(new WorkerStepHook(config.seed(), epoch, scoreSum, seen))
                        .build();
                SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, network, master);
                sparkNet.fitPaths(paths);
                network = sparkNet.getNetwork();
                double fitSeconds = (System.nanoTime() - started) / 1e9;

                double trainNegElbo = seen.value() == 0 ? Double.NaN : scoreSum.value() / seen.value();
                requireFinite(trainNegElbo, "training -ELBO", epoch, checkpoints);
                requireFinite(network.params().sumNumber().doubleValue(), "parameters", epoch, checkpoints);
                vae = Vae.wrap(network);
                double valNegElbo = validation.meanNegElbo(vae, epoch);
                if (validation.enabled()) {
                    requireFinite(valNegElbo, "validation -ELBO", epoch, checkpoints);
                }

                double seconds = (System.nanoTime() - started) / 1e9;
                EpochMetrics m = new EpochMetrics(epoch, trainNegElbo, valNegElbo, seconds, trainExamples / fitSeconds);
                history.add(m);
                checkpoints.save(epoch, vae, provenance, history);
                files.writeBytesAtomically(metricsFile, EpochMetrics.toJsonLines(history).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                progress.accept(m);
            }
            VaeStore.save(vae, provenance, modelDir, files);
            files.writeBytesAtomically(metricsFile, EpochMetrics.toJsonLines(history).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            files.markComplete(modelDir);
            return new Result(vae, history);
        } finally {
            files.deleteQuietly(batchesDir);
        }
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
