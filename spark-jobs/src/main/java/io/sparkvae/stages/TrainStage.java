package io.sparkvae.stages;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.job.InputVersions;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.train.ProgressLine;
import io.sparkvae.train.SparkTrainer;
import io.sparkvae.train.TrainingMemory;
import io.sparkvae.train.TrainingOutputs;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** {@code train}: the VAE on the prepared train split with parameter averaging across executors. */
public final class TrainStage implements Stage {
    private final boolean resume;

    /** @param resume continue from the newest complete checkpoint (start fresh if there is none) */
    public TrainStage(boolean resume) {
        this.resume = resume;
    }

    @Override
    public void run(StageContext ctx) {
        RunLayout layout = ctx.layout();
        // A killed run's exported minibatches are swept even when the model is complete and this run skips.
        if (ctx.skipOrLock(layout.model(), List.of(layout.trainBatches()))) {
            return;
        }
        SparkSession spark = ctx.spark();
        DatasetReader reader = new DatasetReader(spark, ctx.files());
        DatasetManifest manifest = reader.open(layout.dataset().dir(), ctx.config().data());
        // Before any data is read or parameter allocated: a model that cannot fit is refused, saying what it needs.
        TrainingMemory.requireFits(SparkTrainer.spec(ctx.config(), manifest.shape().size()), ctx.config().train(),
                spark.sparkContext().isLocal(), Runtime.getRuntime().maxMemory(),
                spark.sparkContext().getConf().getSizeAsBytes("spark.executor.memory", "1g"));
        // From here on, committing (a checkpoint, the model) requires the dataset read to be still the current one.
        ctx.recordInputs(new InputVersions.Read(manifest.hash(), null));
        var train = reader.split(layout.dataset().dir(), manifest, "train");
        var val = reader.split(layout.dataset().dir(), manifest, "val");
        var t = ctx.config().train();
        // Whether a checkpoint is resumed from is the trainer's to say ("resuming after epoch N from ..."): --resume
        // (which the pipeline always passes) with nothing to resume trains afresh.
        StageLog.info("train: " + ctx.config().runName() + " on " + manifest.splits().get("train").count() + " "
                + manifest.dataset() + " examples, " + StageLog.count(t.epochs(), "epoch") + ", " + StageLog.count(t.workers(), "worker")
                + " averaging every " + StageLog.count(t.averagingFrequency(), "minibatch", "minibatches") + " of " + t.batchSize());
        Provenance provenance = Provenance.of(ctx.config().runName(), ctx.config().resolved(), ctx.config().seed(), manifest.hash());
        TrainingOutputs outputs = TrainingOutputs.of(layout);
        double[] secondsSoFar = {0, 0};
        var result = new SparkTrainer(spark, ctx.files(), ctx.config()).resumingOnly(manifest::isIdentifiedBy).train(
                train, val, manifest.shape().size(), outputs, provenance, resume, m -> {
                    secondsSoFar[0] += m.seconds();
                    secondsSoFar[1]++;
                    StageLog.info(ProgressLine.format(m, t.epochs(), secondsSoFar[0] / secondsSoFar[1]));
                });
        EpochMetrics last = result.history().get(result.history().size() - 1);
        ctx.record("epochs", last.epoch());
        ctx.record("train_neg_elbo", last.trainNegElbo());
        ctx.record("val_neg_elbo", last.valNegElbo());
        result.averagingCosts().forEach(ctx::record); // where the epochs' time went (docs/BENCHMARKS.md reads these)
        if (t.earlyStopping().enabled()) {
            ctx.record("kept_epoch", result.keptEpoch());
            if (result.stoppedEarly(t.epochs())) {
                StageLog.info("train: stopped early after epoch " + last.epoch() + "; kept the model of epoch " + result.keptEpoch()
                        + ", the best validation -ELBO");
            }
        }
        StageLog.info(String.format(Locale.ROOT, "train: wrote %s (final -ELBO train %.2f, val %.2f)", layout.model(),
                last.trainNegElbo(), last.valNegElbo()));
    }
}
