package io.sparkvae.stages;

import io.sparkvae.dataset.DatasetManifest;
import io.sparkvae.dataset.DatasetReader;
import io.sparkvae.job.Stage;
import io.sparkvae.job.StageContext;
import io.sparkvae.job.StageLog;
import io.sparkvae.layout.RunLayout;
import io.sparkvae.model.EpochMetrics;
import io.sparkvae.provenance.Provenance;
import io.sparkvae.train.ProgressLine;
import io.sparkvae.train.SparkTrainer;
import io.sparkvae.train.TrainingOutputs;
import java.util.Locale;

/** {@code train}: the VAE on the prepared train split with dl4j-spark parameter averaging across executors. */
public final class TrainStage implements Stage {
    public static final String NAME = "train";

    private final boolean resume;

    /** @param resume continue from the newest complete checkpoint (start fresh if there is none) */
    public TrainStage(boolean resume) {
        this.resume = resume;
    }

    @Override
    public void run(StageContext ctx) {
        RunLayout layout = ctx.layout();
        if (ctx.skipOrLock(NAME, layout.model())) {
            return;
        }
        DatasetReader reader = new DatasetReader(ctx.spark(NAME), ctx.files());
        DatasetManifest manifest = reader.open(layout.dataset().dir(), ctx.config().data());
        var train = reader.split(layout.dataset().dir(), manifest, "train");
        var val = reader.split(layout.dataset().dir(), manifest, "val");
        var t = ctx.config().train();
        StageLog.info("train: " + ctx.config().runName() + " on " + manifest.splits().get("train").count() + " "
                + manifest.dataset() + " examples, " + t.epochs() + " epochs, " + t.workers() + " workers averaging every "
                + t.averagingFrequency() + " minibatches of " + t.batchSize() + (resume ? " (resuming)" : ""));
        Provenance provenance = Provenance.of(ctx.config().runName(), ctx.config().resolved(), ctx.config().seed(), manifest.hash());
        TrainingOutputs outputs = TrainingOutputs.of(layout);
        double[] secondsSoFar = {0, 0};
        var result = new SparkTrainer(ctx.spark(NAME), ctx.files(), ctx.config()).train(
                train, val, manifest.shape().size(), outputs, provenance, resume, m -> {
                    secondsSoFar[0] += m.seconds();
                    secondsSoFar[1]++;
                    StageLog.info(ProgressLine.format(m, t.epochs(), secondsSoFar[0] / secondsSoFar[1]));
                });
        EpochMetrics last = result.history().get(result.history().size() - 1);
        ctx.record("epochs", last.epoch());
        ctx.record("train_neg_elbo", last.trainNegElbo());
        ctx.record("val_neg_elbo", last.valNegElbo());
        StageLog.info(String.format(Locale.ROOT, "train: wrote %s (final -ELBO train %.2f, val %.2f)", layout.model(),
                last.trainNegElbo(), last.valNegElbo()));
    }
}
